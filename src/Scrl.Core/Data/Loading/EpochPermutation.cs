using Scrl.Core.Randomness;

namespace Scrl.Core.Data.Loading;

/// <summary>The sample order of one epoch: a Fisher-Yates shuffle seeded from (seed, epoch) alone, so any epoch can be recreated on resume.</summary>
public static class EpochPermutation
{
    // Sample index -1 and a dedicated stream keep these draws apart from every per-sample augmentation draw.
    private const long NoSample = -1;
    private const ulong ShuffleStream = 0x5348_5546_464C_4531; // "SHUFFLE1"

    /// <summary>A permutation of [0, <paramref name="count"/>).</summary>
    public static int[] Create(long seed, int epoch, int count) => Create(seed, epoch, count, ShuffleStream);

    /// <summary>A permutation of [0, <paramref name="count"/>) drawn from its own <paramref name="stream"/>, for orders that must not repeat the sample order's draws.</summary>
    internal static int[] Create(long seed, int epoch, int count, ulong stream)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        var random = SeededRandom.For(seed, epoch, NoSample, stream);
        for (int i = count - 1; i > 0; i--)
        {
            int j = random.NextInt(0, i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
