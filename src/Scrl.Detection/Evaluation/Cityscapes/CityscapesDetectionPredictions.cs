using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Scrl.Detection.Evaluation.Cityscapes;

/// <summary>Turns a mask model's <see cref="Detections"/> of one image into Cityscapes instance predictions.</summary>
public static class CityscapesDetectionPredictions
{
    /// <param name="detections">One image's detections; <see cref="Detections.Masks"/> [D, 1, H, W] probabilities over the original image.</param>
    /// <param name="labelIdOf">Model class id (1..K-1) to Cityscapes label id, e.g. the detection dataset's category lookup.</param>
    /// <param name="maskThreshold">A pixel is inside where its probability is ≥ this (detectron2's <c>paste_masks_in_image</c> uses 0.5).</param>
    /// <returns>One prediction per detection, in detection order, the score as confidence; masks share one flat buffer.</returns>
    /// <exception cref="ArgumentException">The detections carry no masks, or masks of another shape than [D, 1, H, W].</exception>
    public static IReadOnlyList<CityscapesInstancePrediction> FromDetections(Detections detections, Func<long, int> labelIdOf, double maskThreshold = 0.5)
    {
        ArgumentNullException.ThrowIfNull(detections);
        ArgumentNullException.ThrowIfNull(labelIdOf);
        var masks = detections.Masks ?? throw new ArgumentException("The detections carry no masks; Cityscapes instance evaluation needs a mask branch.", nameof(detections));
        long count = detections.Scores.shape[0];
        if (masks.dim() != 4 || masks.shape[0] != count || masks.shape[1] != 1)
            throw new ArgumentException($"Masks must be [D={count}, 1, H, W], got [{string.Join(", ", masks.shape)}].", nameof(detections));
        if (count == 0) return [];                                            // data<T>() throws on an empty tensor

        int height = checked((int)masks.shape[2]), width = checked((int)masks.shape[3]), pixels = height * width;
        bool[] inside;
        float[] scores;
        long[] labels;
        using (NewDisposeScope())
        {
            // One bulk copy of the bool tensor's bytes (0 or 1): an element-wise data<bool>().ToArray() of [D, H, W] costs more than the evaluation.
            inside = MemoryMarshal.Cast<byte, bool>(masks.ge(maskThreshold).cpu().contiguous().bytes).ToArray();   // [D*H*W]
            scores = detections.Scores.cpu().data<float>().ToArray();
            labels = detections.Labels.cpu().to(ScalarType.Int64).data<long>().ToArray();
        }
        var predictions = new CityscapesInstancePrediction[count];
        for (int d = 0; d < count; d++)
            predictions[d] = new CityscapesInstancePrediction(labelIdOf(labels[d]), scores[d], width, height, new ReadOnlyMemory<bool>(inside, d * pixels, pixels));
        return predictions;
    }
}
