using Scrl.Core.Boxes;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scrl.Detection.Retina;

// Shapes: N images, T anchors per image, K classes, G ground-truth boxes of one image, P foreground anchors.

/// <summary>Anchor matching and RetinaNet's two losses: focal classification and L1 box regression, each per image
/// normalised by its foreground count, then averaged over the images.</summary>
/// <remarks>
/// Mirrors torchvision models/detection/retinanet.py RetinaNet.compute_loss and the heads' compute_loss (box loss
/// type "l1"): every anchor but the ignored ones (between the IoU thresholds) enters the classification loss; an
/// image without boxes has all its anchors background and no box loss. Not a module: no weights.
/// </remarks>
public sealed class RetinaNetLoss
{
    private readonly Matcher _matcher;
    private readonly BoxCoder _boxCoder = new((1, 1, 1, 1));
    private readonly double _alpha;
    private readonly double _gamma;

    public RetinaNetLoss(RetinaNetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _matcher = new Matcher(options.FgIouThreshold, options.BgIouThreshold, allowLowQualityMatches: true);
        _alpha = options.FocalAlpha;
        _gamma = options.FocalGamma;
    }

    /// <param name="classLogits">[N, T, K].</param>
    /// <param name="boxRegression">[N, T, 4].</param>
    /// <param name="anchors">[T, 4] xyxy px, shared by all images.</param>
    /// <param name="targets">Per image, ground truth in resized-image pixels.</param>
    /// <returns>The "classification" and "bbox_regression" losses (scalars).</returns>
    public (Tensor Classification, Tensor BoxRegression) Compute(Tensor classLogits, Tensor boxRegression, Tensor anchors, IReadOnlyList<DetectionTarget> targets)
    {
        if (targets.Count == 0) throw new ArgumentException("no images", nameof(targets));
        if (targets.Count != classLogits.shape[0])
            throw new ArgumentException($"{classLogits.shape[0]} images but {targets.Count} targets.", nameof(targets));
        using var scope = NewDisposeScope();
        Tensor? classification = null, regression = null;
        for (int i = 0; i < targets.Count; i++)
        {
            var gtBoxes = targets[i].Boxes.to(anchors.dtype);                                        // [G, 4]
            var gtLabels = targets[i].Labels.to(ScalarType.Int64);                                  // [G]
            var matches = Match(gtBoxes, anchors);                                                   // [T]
            var foreground = nonzero(matches >= 0).view(-1);                                         // [P]
            double normalizer = Math.Max(1, foreground.shape[0]);
            var matchedGt = matches.index_select(0, foreground);                                     // [P]

            var logits = classLogits[i];                                                             // [T, K]
            var classTargets = zeros_like(logits);
            if (gtBoxes.shape[0] > 0)
                classTargets.index_put_(1.0, foreground, gtLabels.index_select(0, matchedGt));
            var valid = nonzero(matches.ne(Matcher.BetweenThresholds)).view(-1);                     // [V]
            var cls = SigmoidFocalLoss.Sum(logits.index_select(0, valid), classTargets.index_select(0, valid), _alpha, _gamma) / normalizer;

            var deltas = boxRegression[i].index_select(0, foreground);                               // [P, 4]
            var encoded = _boxCoder.Encode(gtBoxes.index_select(0, matchedGt), anchors.index_select(0, foreground));
            var box = F.l1_loss(deltas, encoded, reduction: nn.Reduction.Sum) / normalizer;

            classification = classification is null ? cls : classification + cls;
            regression = regression is null ? box : regression + box;
        }
        return ((classification! / targets.Count).MoveToOuterDisposeScope(), (regression! / Math.Max(1, targets.Count)).MoveToOuterDisposeScope());
    }

    /// <returns>Per anchor the matched ground-truth index, or <see cref="Matcher.BelowLowThreshold"/> /
    /// <see cref="Matcher.BetweenThresholds"/>; all background when there is no ground truth.</returns>
    private Tensor Match(Tensor gtBoxes, Tensor anchors) => gtBoxes.shape[0] == 0
        ? full(anchors.shape[0], Matcher.BelowLowThreshold, ScalarType.Int64, anchors.device)
        : _matcher.Match(TorchvisionBoxOps.BoxIou(gtBoxes, anchors));
}
