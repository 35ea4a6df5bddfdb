using static TorchSharp.torch;

namespace Scrl.Detection.Sparse;

// Shapes: N images, P proposals, K classes, D detections per image.

/// <summary>Sparse R-CNN's inference: the top scores over proposal x class, no NMS (the authors' SparseRCNN.inference, use_focal).</summary>
public static class SparseRcnnPostprocess
{
    /// <param name="logits">[N, P, K] of the last stage.</param>
    /// <param name="boxes">[N, P, 4] xyxy px of the resized images.</param>
    /// <param name="detections">D: the authors keep as many as proposals; COCO scores 100 per image, so 100 scores the same.</param>
    /// <param name="scoreThreshold">Sigmoid scores below it are dropped.</param>
    /// <returns>Per image, up to D detections in decreasing score order, boxes in the resized image.</returns>
    public static IReadOnlyList<Detections> TopScores(Tensor logits, Tensor boxes, int detections, double scoreThreshold)
    {
        long n = logits.shape[0], k = logits.shape[2];
        var scores = sigmoid(logits).flatten(1);                                           // [N, P K]
        var (top, index) = scores.topk((int)Math.Min(detections, scores.shape[1]), dim: 1);  // [N, D], decreasing
        var result = new List<Detections>((int)n);
        for (int i = 0; i < n; i++)
        {
            var keep = nonzero(top[i] >= scoreThreshold).view(-1);
            var chosen = index[i].index_select(0, keep);
            result.Add(new Detections(boxes[i].index_select(0, chosen.div(k, rounding_mode: RoundingMode.floor)),
                                      top[i].index_select(0, keep), chosen.remainder(k)));
        }
        return result;
    }

    /// <summary>detectron2's detector_postprocess: boxes clipped to their image, the empty ones dropped.</summary>
    /// <remarks>Clipped in the resized image, before the boxes are scaled to the original: the same boxes up to float rounding.</remarks>
    /// <param name="detections">Per image, boxes in its resized pixels.</param>
    /// <param name="imageSizes">Resized (height, width) per image.</param>
    public static IReadOnlyList<Detections> ClipToImages(IReadOnlyList<Detections> detections, IReadOnlyList<(long Height, long Width)> imageSizes) =>
        detections.Select((d, i) =>
        {
            var clipped = TorchvisionBoxOps.Clip(d.Boxes, imageSizes[i].Height, imageSizes[i].Width);
            var keep = nonzero((clipped[.., 2] > clipped[.., 0]).logical_and(clipped[.., 3] > clipped[.., 1])).view(-1);
            return new Detections(clipped.index_select(0, keep), d.Scores.index_select(0, keep), d.Labels.index_select(0, keep));
        }).ToList();
}
