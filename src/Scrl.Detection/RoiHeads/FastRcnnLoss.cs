using Scrl.Detection.Rpn;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scrl.Detection.RoiHeads;

// Shapes: R sampled RoIs over the batch, K classes including background.

/// <summary>Box head losses.</summary>
/// <remarks>Mirrors torchvision models/detection/roi_heads.py fastrcnn_loss.</remarks>
public static class FastRcnnLoss
{
    /// <param name="logits">[R, K].</param>
    /// <param name="deltas">[R, 4K].</param>
    /// <param name="labels">[R] int64 (0 background).</param>
    /// <param name="regressionTargets">[R, 4].</param>
    /// <returns>Cross entropy (mean) and smooth-L1 of the true class's deltas over positives, divided by R.</returns>
    public static (Tensor Classifier, Tensor BoxReg) Compute(Tensor logits, Tensor deltas, Tensor labels, Tensor regressionTargets)
    {
        using var scope = NewDisposeScope();
        var classification = F.cross_entropy(logits, labels);
        var positive = nonzero(labels > 0).view(-1);                                          // [P]
        long r = logits.shape[0];
        var perClass = deltas.reshape(r, -1, 4);                                              // [R, K, 4]
        var predicted = perClass.index(positive, labels.index_select(0, positive));          // [P, 4]
        var boxLoss = F.smooth_l1_loss(predicted, regressionTargets.index_select(0, positive),
                                       reduction: nn.Reduction.Sum, beta: RpnLoss.SmoothL1Beta) / labels.numel();
        return (classification.MoveToOuterDisposeScope(), boxLoss.MoveToOuterDisposeScope());
    }
}
