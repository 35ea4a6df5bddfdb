using Scrl.Core.Boxes;
using Scrl.Core.Training;
using static TorchSharp.torch;

namespace Scrl.Detection.Retina;

// Shapes: N images, T anchors per image, T_l of level l, K classes, C_l candidates kept on level l, D detections.

/// <summary>Turns head outputs into detections: per level, scores above the threshold, top-k, decoded and clipped;
/// then class-wise NMS over all levels and the best detections per image.</summary>
/// <remarks>
/// Mirrors torchvision models/detection/retinanet.py RetinaNet.postprocess_detections: every (anchor, class) pair is
/// a candidate, the flat index giving anchor = index / K and label = index % K. Not a module: no weights.
/// </remarks>
public sealed class RetinaNetPostprocess
{
    private readonly BoxCoder _boxCoder = new((1, 1, 1, 1));
    private readonly RetinaNetOptions _options;
    private readonly PhaseTimer? _timer;

    /// <param name="timer">Benchmarks only: charges NMS to <see cref="DetectionPhases.Nms"/>.</param>
    public RetinaNetPostprocess(RetinaNetOptions options, PhaseTimer? timer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _timer = timer;
    }

    /// <param name="classLogits">[N, T, K].</param>
    /// <param name="boxRegression">[N, T, 4].</param>
    /// <param name="anchors">[T, 4] xyxy px, shared by all images.</param>
    /// <param name="countPerLevel">T_l, finest level first.</param>
    /// <param name="imageSizes">(height, width) of each resized image, for clipping.</param>
    /// <returns>Per image, detections in resized-image pixels, in decreasing score order.</returns>
    public List<Detections> Detect(Tensor classLogits, Tensor boxRegression, Tensor anchors, IReadOnlyList<long> countPerLevel,
                                   IReadOnlyList<(long Height, long Width)> imageSizes)
    {
        var result = new List<Detections>(imageSizes.Count);
        for (int i = 0; i < imageSizes.Count; i++)
        {
            var boxes = new List<Tensor>(countPerLevel.Count);
            var scores = new List<Tensor>(countPerLevel.Count);
            var labels = new List<Tensor>(countPerLevel.Count);
            long offset = 0;
            foreach (long count in countPerLevel)
            {
                var (b, s, l) = Candidates(classLogits[i].narrow(0, offset, count), boxRegression[i].narrow(0, offset, count),
                                           anchors.narrow(0, offset, count), imageSizes[i]);
                boxes.Add(b);
                scores.Add(s);
                labels.Add(l);
                offset += count;
            }
            var (allBoxes, allScores, allLabels) = (cat(boxes, 0), cat(scores, 0), cat(labels, 0));
            Tensor keep;
            using (_timer?.Measure(DetectionPhases.Nms))
                keep = Nms.Batched(allBoxes, allScores, allLabels, _options.NmsThreshold);
            keep = keep.narrow(0, 0, Math.Min(_options.DetectionsPerImage, keep.shape[0]));
            result.Add(new Detections(allBoxes.index_select(0, keep), allScores.index_select(0, keep), allLabels.index_select(0, keep)));
        }
        return result;
    }

    /// <summary>One level of one image: scores above the threshold, the best of them, decoded and clipped.</summary>
    /// <param name="logits">[T_l, K].</param>
    /// <param name="deltas">[T_l, 4].</param>
    /// <param name="anchors">[T_l, 4].</param>
    /// <returns>Boxes [C_l, 4], scores [C_l] in decreasing order, labels [C_l] int64.</returns>
    private (Tensor Boxes, Tensor Scores, Tensor Labels) Candidates(Tensor logits, Tensor deltas, Tensor anchors, (long Height, long Width) imageSize)
    {
        long numClasses = logits.shape[1];
        var scores = sigmoid(logits).flatten();                                                       // [T_l * K]
        var above = nonzero(scores > _options.ScoreThreshold).view(-1);
        scores = scores.index_select(0, above);
        var (top, order) = scores.topk((int)Math.Min(_options.TopkCandidates, above.shape[0]));
        var index = above.index_select(0, order);                                                      // [C_l] flat (anchor, class)
        var anchorIndex = index.div(numClasses, rounding_mode: RoundingMode.floor);
        var labels = index.remainder(numClasses);
        var boxes = _boxCoder.Decode(deltas.index_select(0, anchorIndex), anchors.index_select(0, anchorIndex)).view(-1, 4);   // [C_l, 4]
        return (TorchvisionBoxOps.Clip(boxes, imageSize.Height, imageSize.Width), top, labels);
    }
}
