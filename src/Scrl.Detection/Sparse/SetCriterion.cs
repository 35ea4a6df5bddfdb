using Scrl.Detection.Retina;
using Scrl.Detection.SetPrediction;
using static TorchSharp.torch;

namespace Scrl.Detection.Sparse;

// Shapes: N images, P proposals per image, K classes, M matched pairs over the batch.

/// <summary>
/// The set loss of every stage (deep supervision): each stage is matched on its own, then scored by sigmoid focal
/// loss over all proposal x class outputs, L1 of the image-normalised boxes and 1 - GIoU of the matched pairs, each
/// summed over the batch, divided by its box count and weighted 2, 5 and 2.
/// </summary>
/// <remarks>
/// Mirrors the authors' loss.py SetCriterion (losses "labels" and "boxes", focal). Names as theirs: loss_ce,
/// loss_bbox, loss_giou for the last stage, with _t for stage t of the others.
/// </remarks>
public sealed class SetCriterion(SparseRcnnOptions options, HungarianMatcher matcher)
{
    /// <param name="stages">Per stage, logits [N, P, K] and boxes [N, P, 4] xyxy px.</param>
    /// <param name="targets">Per image ground truth.</param>
    /// <returns>The weighted terms, the last stage's first.</returns>
    public IReadOnlyDictionary<string, Tensor> Losses(IReadOnlyList<(Tensor Logits, Tensor Boxes)> stages, IReadOnlyList<SetTarget> targets) =>
        Compute(stages, targets).Losses;

    /// <summary><see cref="Losses"/> with each stage's assignment, for inspection and parity checks.</summary>
    public (IReadOnlyDictionary<string, Tensor> Losses, IReadOnlyList<IReadOnlyList<Assignment>> Assignments) Compute(
        IReadOnlyList<(Tensor Logits, Tensor Boxes)> stages, IReadOnlyList<SetTarget> targets)
    {
        double boxCount = Math.Max(targets.Sum(t => t.Labels.shape[0]), 1);
        var losses = new Dictionary<string, Tensor>();
        var assignments = new IReadOnlyList<Assignment>[stages.Count];
        for (int s = stages.Count - 1; s >= 0; s--)
        {
            var (logits, boxes) = stages[s];
            assignments[s] = matcher.Match(logits, boxes, targets);
            var (classification, l1, giou) = StageLosses(logits, boxes, targets, assignments[s], boxCount);
            string suffix = s == stages.Count - 1 ? "" : $"_{s}";
            losses["loss_ce" + suffix] = classification * options.ClassWeight;
            losses["loss_bbox" + suffix] = l1 * options.L1Weight;
            losses["loss_giou" + suffix] = giou * options.GiouWeight;
        }
        return (losses, assignments);
    }

    private (Tensor Classification, Tensor L1, Tensor Giou) StageLosses(Tensor logits, Tensor boxes, IReadOnlyList<SetTarget> targets,
                                                                        IReadOnlyList<Assignment> assignments, double boxCount)
    {
        using var scope = NewDisposeScope();
        long n = logits.shape[0], p = logits.shape[1], k = logits.shape[2];
        var device = logits.device;
        var proposal = new List<long>();
        var target = new List<Tensor>();
        for (int i = 0; i < n; i++)
        {
            proposal.AddRange(assignments[i].Rows.Select(r => i * p + r));
            target.Add(tensor(assignments[i].Columns.Select(c => (long)c).ToArray(), device: device));
        }
        var matched = tensor(proposal.ToArray(), device: device);                                                // [M]
        var classes = cat(targets.Select((t, i) => t.Labels.index_select(0, target[i])).ToList());               // [M]
        var gtBoxes = cat(targets.Select((t, i) => t.Boxes.index_select(0, target[i])).ToList());                // [M, 4]
        var sizes = cat(targets.Select((t, i) => t.ImageSize.expand(target[i].shape[0], 4)).ToList());          // [M, 4]

        var flatLogits = logits.reshape(n * p, k);
        var onehot = zeros_like(flatLogits).index_put_(ones([], flatLogits.dtype, device), matched, classes);
        var classification = SigmoidFocalLoss.Sum(flatLogits, onehot, options.FocalAlpha, options.FocalGamma) / boxCount;

        var predicted = boxes.reshape(n * p, 4).index_select(0, matched);                                       // [M, 4]
        var giou = (1 - TorchvisionBoxOps.PairedGeneralizedBoxIou(predicted, gtBoxes)).sum() / boxCount;
        var l1 = (predicted / sizes - gtBoxes / sizes).abs().sum() / boxCount;
        return (classification.MoveToOuterDisposeScope(), l1.MoveToOuterDisposeScope(), giou.MoveToOuterDisposeScope());
    }
}
