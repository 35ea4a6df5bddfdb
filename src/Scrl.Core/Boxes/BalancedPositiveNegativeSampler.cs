using static TorchSharp.torch;

namespace Scrl.Core.Boxes;

// Shapes: P predictions of one image.

/// <summary>Samples a fixed-size batch of positives and negatives per image, positives capped at a fraction.</summary>
/// <remarks>
/// Mirrors torchvision models/detection/_utils.py BalancedPositiveNegativeSampler. The permutations come from the
/// caller's generator, so a seeded run draws the same samples again (torchvision uses the global RNG).
/// </remarks>
public sealed class BalancedPositiveNegativeSampler
{
    /// <param name="batchSizePerImage">Samples per image (256 for the RPN, 512 for the box head).</param>
    /// <param name="positiveFraction">Largest share of positives (0.5 for the RPN, 0.25 for the box head).</param>
    public BalancedPositiveNegativeSampler(int batchSizePerImage, double positiveFraction)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSizePerImage, 1);
        if (positiveFraction is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(positiveFraction), positiveFraction, "must be in [0, 1]");
        BatchSizePerImage = batchSizePerImage;
        PositiveFraction = positiveFraction;
    }

    public int BatchSizePerImage { get; }

    public double PositiveFraction { get; }

    /// <param name="labels">Per prediction [P]: &gt;= 1 positive, 0 negative, &lt; 0 ignored.</param>
    /// <param name="generator">Source of the permutations (CPU generator).</param>
    /// <returns>Boolean masks [P] of the sampled positives and negatives.</returns>
    public (Tensor Positive, Tensor Negative) Sample(Tensor labels, Generator? generator)
    {
        if (labels.dim() != 1) throw new ArgumentException($"labels must be [P], got [{string.Join(", ", labels.shape)}].", nameof(labels));
        using var scope = NewDisposeScope();
        var positive = nonzero(labels >= 1).view(-1);                      // [#pos] indices
        var negative = nonzero(labels.eq(0)).view(-1);                     // [#neg]
        long numPos = Math.Min(positive.shape[0], (long)(BatchSizePerImage * PositiveFraction));
        long numNeg = Math.Min(negative.shape[0], BatchSizePerImage - numPos);
        var posMask = Pick(positive, numPos, labels, generator);
        var negMask = Pick(negative, numNeg, labels, generator);
        return (posMask.MoveToOuterDisposeScope(), negMask.MoveToOuterDisposeScope());
    }

    private static Tensor Pick(Tensor candidates, long count, Tensor labels, Generator? generator)
    {
        var perm = randperm(candidates.shape[0], generator: generator).narrow(0, 0, count).to(candidates.device);   // [count]
        var mask = zeros(labels.shape[0], ScalarType.Bool, labels.device);                                            // [P]
        return mask.index_put_(true, new[] { candidates.index_select(0, perm) });
    }
}
