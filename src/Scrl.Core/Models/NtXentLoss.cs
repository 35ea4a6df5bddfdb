using static TorchSharp.torch;

namespace Scrl.Core.Models;

/// <summary>SimCLR's normalized-temperature cross-entropy over paired embeddings.</summary>
/// <remarks>
/// Mirrors google-research/simclr tf2/objective.py <c>add_contrastive_loss</c> on one replica: rows are
/// L2-normalized as <c>tf.math.l2_normalize</c> does (x / sqrt(max(sum x², 1e-12))); row i of view 1 has row i of
/// view 2 as its positive and the other 2M - 2 rows of both views as negatives; self-similarity is removed by
/// subtracting 1e9 (SimCLR's LARGE_NUM); the loss is mean(loss_a + loss_b), both directions summed.
/// Shapes: M pairs, D projection size.
/// </remarks>
public static class NtXentLoss
{
    private const double LargeNum = 1e9;
    private const double NormEpsilon = 1e-12;

    /// <param name="projections">[2M, D]: view-1 rows, then the paired view-2 rows in the same order.</param>
    /// <param name="temperature">τ &gt; 0.</param>
    /// <returns>Scalar loss.</returns>
    public static Tensor Compute(Tensor projections, double temperature)
    {
        ArgumentNullException.ThrowIfNull(projections);
        if (projections.dim() != 2 || projections.shape[0] < 2 || projections.shape[0] % 2 != 0)
            throw new ArgumentException($"Expected [2M, D] with M >= 1, got [{string.Join(", ", projections.shape)}].", nameof(projections));
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "must be > 0");

        using var scope = NewDisposeScope();
        var hidden = projections * projections.square().sum(1, keepdim: true).clamp_min(NormEpsilon).rsqrt();   // [2M, D]
        var halves = hidden.chunk(2);
        var (h1, h2) = (halves[0], halves[1]);                                  // [M, D] each
        long m = h1.shape[0];
        var masks = eye(m, dtype: hidden.dtype, device: hidden.device) * LargeNum;                              // [M, M]
        var logitsAa = h1.matmul(h1.t()) / temperature - masks;                 // [M, M]
        var logitsBb = h2.matmul(h2.t()) / temperature - masks;
        var logitsAb = h1.matmul(h2.t()) / temperature;
        var logitsBa = h2.matmul(h1.t()) / temperature;
        var labels = arange(m, dtype: ScalarType.Int64, device: hidden.device); // the positive sits at column i of [ab | aa]
        var lossA = nn.functional.cross_entropy(cat([logitsAb, logitsAa], 1), labels, reduction: nn.Reduction.None);   // [M]
        var lossB = nn.functional.cross_entropy(cat([logitsBa, logitsBb], 1), labels, reduction: nn.Reduction.None);   // [M]
        return (lossA + lossB).mean().MoveToOuterDisposeScope();
    }
}
