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
    public static List<CocoDetection> Of(Detections detections, long imageId, Func<long, int> categoryOf)
    {
        ArgumentNullException.ThrowIfNull(detections);
        int count = (int)detections.Scores.shape[0];
        var results = new List<CocoDetection>(count);
        if (count == 0) return results;                                               // data<T>() throws on an empty tensor
        var boxes = detections.Boxes.data<float>().ToArray();                        // [D*4] xyxy
        var scores = detections.Scores.data<float>().ToArray();
        var labels = detections.Labels.data<long>().ToArray();
        var keypoints = detections.Keypoints?.to(ScalarType.Float64).data<double>().ToArray();   // [D*J*3]
        int perKeypointSet = keypoints is null ? 0 : keypoints.Length / count;
        using var masks = detections.Masks?.gt(MaskThreshold).to(ScalarType.Byte).contiguous();  // [D, 1, H, W]
        int height = masks is null ? 0 : (int)masks.shape[2], width = masks is null ? 0 : (int)masks.shape[3];
        for (int d = 0; d < count; d++)
        {
            double x1 = boxes[4 * d], y1 = boxes[4 * d + 1], x2 = boxes[4 * d + 2], y2 = boxes[4 * d + 3];
            results.Add(new CocoDetection(imageId, categoryOf(labels[d]), [x1, y1, x2 - x1, y2 - y1], scores[d])
            {
                // Encoded straight from the tensor's memory: copying [D, H, W] out element by element would cost more than the encoding.
                Segmentation = masks is null ? null : CocoMasks.Encode(masks.bytes.Slice(d * height * width, height * width), height, width),
                Keypoints = keypoints?.AsSpan(d * perKeypointSet, perKeypointSet).ToArray(),
            });
        }
        return results;
    }
}
