using Scrl.Core.Training;
using Scrl.Detection.SetPrediction;
using static TorchSharp.torch;

namespace Scrl.Detection.Sparse;

// Shapes: N images, P proposals per image, K classes, G_i ground-truth boxes of image i.

/// <summary>
/// One-to-one matching of proposals to ground truth at minimum cost: focal classification cost, L1 distance of the
/// boxes normalised by the image size, and negative GIoU, weighted 2, 5 and 2.
/// </summary>
/// <remarks>
/// Mirrors the authors' loss.py HungarianMatcher (use_focal). The costs are computed per image on the device (the
/// authors build the whole batch-by-batch matrix and keep its diagonal blocks: the same values), brought to the host
/// in one copy, and solved with <see cref="LinearSumAssignment"/>, SciPy's algorithm.
/// </remarks>
public sealed class HungarianMatcher(SparseRcnnOptions options, PhaseTimer? timer = null)
{
    /// <param name="logits">[N, P, K].</param>
    /// <param name="boxes">[N, P, 4] xyxy px.</param>
    /// <param name="targets">Per image: boxes [G_i, 4] xyxy px, labels [G_i] and the image's (w, h, w, h).</param>
    /// <returns>Per image, the matched proposals (rows) and their ground-truth boxes (columns), proposals ascending.</returns>
    public IReadOnlyList<Assignment> Match(Tensor logits, Tensor boxes, IReadOnlyList<SetTarget> targets)
    {
        using var timed = timer?.Measure(DetectionPhases.Matching);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long proposals = logits.shape[1];
        var costs = cat(targets.Select((t, i) => Cost(logits[i], boxes[i], t).flatten()).ToList()).to(ScalarType.Float32).cpu();   // one copy
        var result = new List<Assignment>(targets.Count);
        long offset = 0;
        foreach (var t in targets)
        {
            long g = t.Labels.shape[0];
            result.Add(LinearSumAssignment.Solve(costs.narrow(0, offset, proposals * g).view(proposals, g)));
            offset += proposals * g;
        }
        return result;
    }

    /// <summary>The matching cost of every (proposal, ground truth) pair of one image.</summary>
    /// <param name="logits">[P, K].</param>
    /// <param name="boxes">[P, 4].</param>
    /// <returns>[P, G].</returns>
    public Tensor Cost(Tensor logits, Tensor boxes, SetTarget target)
    {
        using var scope = NewDisposeScope();
        double alpha = options.FocalAlpha, gamma = options.FocalGamma;
        var probability = sigmoid(logits).index_select(1, target.Labels);                                   // [P, G]
        var negative = (1 - alpha) * probability.pow(gamma) * -(1 - probability + 1e-8).log();
        var positive = alpha * (1 - probability).pow(gamma) * -(probability + 1e-8).log();
        var l1 = cdist(boxes / target.ImageSize, target.Boxes / target.ImageSize, p: 1);                  // [P, G]
        var giou = -TorchvisionBoxOps.GeneralizedBoxIou(boxes, target.Boxes);
        return (options.L1Weight * l1 + options.ClassWeight * (positive - negative) + options.GiouWeight * giou).MoveToOuterDisposeScope();
    }
}

/// <summary>One image's ground truth as the set criterion reads it.</summary>
/// <param name="Boxes">[G, 4] xyxy px of the resized image.</param>
/// <param name="Labels">[G] int64 classes.</param>
/// <param name="ImageSize">[4] float (w, h, w, h) of the resized image before padding.</param>
public sealed record SetTarget(Tensor Boxes, Tensor Labels, Tensor ImageSize);
