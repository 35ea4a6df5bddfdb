using Scrl.Detection.Masks;
using static TorchSharp.torch;

namespace Scrl.Detection.Evaluation;

/// <summary>One image's <see cref="Detections"/> as COCO results entries: boxes, and RLE masks and keypoints where the detector gives them.</summary>
/// <remarks>As torchvision's reference <c>prepare_for_coco_*</c>: a mask pixel is inside where its probability is
/// above 0.5; keypoints are written as [x, y, 1] per keypoint.</remarks>
public static class CocoResults
{
    public const double MaskThreshold = 0.5;

    /// <param name="detections">On the CPU, in the original image's pixels.</param>
    /// <param name="categoryOf">Model label (1..K-1) to the dataset's category id.</param>
    public static IEnumerable<CocoDetection> Of(Detections detections, long imageId, Func<long, int> categoryOf)
    {
        ArgumentNullException.ThrowIfNull(detections);
        long count = detections.Scores.shape[0];
        if (count == 0) yield break;                                                   // data<T>() throws on an empty tensor
        var boxes = detections.Boxes.data<float>().ToArray();                        // [D*4] xyxy
        var scores = detections.Scores.data<float>().ToArray();
        var labels = detections.Labels.data<long>().ToArray();
        var keypoints = detections.Keypoints?.to(ScalarType.Float64).data<double>().ToArray();   // [D*J*3]
        byte[]? masks = null;
        int height = 0, width = 0;
        if (detections.Masks is { } m)
        {
            (height, width) = ((int)m.shape[2], (int)m.shape[3]);
            using var inside = m.gt(MaskThreshold).to(ScalarType.Byte).contiguous();
            masks = inside.data<byte>().ToArray();                                    // [D*H*W]
        }
        int perKeypointSet = keypoints is null ? 0 : keypoints.Length / (int)count;
        for (int d = 0; d < count; d++)
        {
            double x1 = boxes[4 * d], y1 = boxes[4 * d + 1], x2 = boxes[4 * d + 2], y2 = boxes[4 * d + 3];
            yield return new CocoDetection(imageId, categoryOf(labels[d]), [x1, y1, x2 - x1, y2 - y1], scores[d])
            {
                Segmentation = masks is null ? null : CocoMasks.Encode(masks.AsSpan(d * height * width, height * width), height, width),
                Keypoints = keypoints is null ? null : keypoints.AsSpan(d * perKeypointSet, perKeypointSet).ToArray(),
            };
        }
    }
}
