using Scrl.Core.Boxes;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scrl.Detection.Rpn;

// Shapes: N images, T anchors per image, G ground-truth boxes of one image.

/// <summary>RPN training targets and losses.</summary>
/// <remarks>Mirrors torchvision models/detection/rpn.py assign_targets_to_anchors and compute_loss.</remarks>
public static class RpnLoss
{
    /// <summary>Smooth-L1 beta of both detectors' box losses.</summary>
    public const double SmoothL1Beta = 1.0 / 9;

    /// <param name="anchors">[T, 4] xyxy px, shared by all images.</param>
    /// <param name="gtBoxes">Per image [G, 4] xyxy px of the resized image.</param>
    /// <returns>Per image: labels [T] float (1 fg, 0 bg, -1 ignored) and matched boxes [T, 4].</returns>
    public static (Tensor Labels, Tensor MatchedBoxes)[] AssignTargets(Tensor anchors, IReadOnlyList<Tensor> gtBoxes, Matcher matcher)
    {
        var result = new (Tensor, Tensor)[gtBoxes.Count];
        for (int i = 0; i < gtBoxes.Count; i++)
        {
            var gt = gtBoxes[i];
            if (gt.shape[0] == 0)
            {
                result[i] = (zeros(anchors.shape[0], anchors.dtype, anchors.device), zeros_like(anchors));
                continue;
            }
            var matches = matcher.Match(TorchvisionBoxOps.BoxIou(gt, anchors));                          // [T]
            var matched = gt.index_select(0, matches.clamp_min(0));                                      // [T, 4]
            var labels = (matches >= 0).to(anchors.dtype)
                .masked_fill(matches.eq(Matcher.BetweenThresholds), -1.0);                              // [T]
            result[i] = (labels, matched);
        }
        return result;
    }

    /// <param name="objectness">[N*T] logits.</param>
    /// <param name="deltas">[N*T, 4].</param>
    /// <param name="labels">[N*T] float targets (1, 0, -1).</param>
    /// <param name="regressionTargets">[N*T, 4].</param>
    /// <param name="sampledPositive">[N*T] bool.</param>
    /// <param name="sampledNegative">[N*T] bool.</param>
    /// <returns>Objectness BCE (mean over sampled) and box smooth-L1 (sum over positives / sampled count).</returns>
    public static (Tensor Objectness, Tensor BoxReg) Compute(Tensor objectness, Tensor deltas, Tensor labels, Tensor regressionTargets,
                                                            Tensor sampledPositive, Tensor sampledNegative)
    {
        using var scope = NewDisposeScope();
        var positive = nonzero(sampledPositive).view(-1);                                                // [P]
        var sampled = cat([positive, nonzero(sampledNegative).view(-1)], 0);                             // [S]
        var boxLoss = F.smooth_l1_loss(deltas.index_select(0, positive), regressionTargets.index_select(0, positive),
                                       reduction: nn.Reduction.Sum, beta: SmoothL1Beta) / sampled.shape[0];
        var objLoss = F.binary_cross_entropy_with_logits(objectness.index_select(0, sampled), labels.index_select(0, sampled));
        return (objLoss.MoveToOuterDisposeScope(), boxLoss.MoveToOuterDisposeScope());
    }
}
