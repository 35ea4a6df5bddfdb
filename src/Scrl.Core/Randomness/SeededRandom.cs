namespace Scrl.Core.Randomness;

/// <summary>
/// Small, explicit, reproducible random source (SplitMix64). Unlike <see cref="Random"/> its sequence is
/// part of our contract: a resumed run derives the same generator from (seed, epoch, sample) and repeats
/// the same draws, on every platform and .NET version.
/// </summary>
public sealed class SeededRandom : IRandomSource
{
    private ulong _state;

    public SeededRandom(ulong seed) => _state = seed;

    /// <summary>A generator for one sample of one epoch, independent of how many draws other samples made.</summary>
    public static SeededRandom For(long seed, long epoch, long sampleIndex, ulong stream = 0)
    {
        ulong s = Mix((ulong)seed ^ 0x9E3779B97F4A7C15UL);
        s = Mix(s ^ (ulong)epoch);
        s = Mix(s ^ (ulong)sampleIndex);
        return new SeededRandom(Mix(s ^ stream));
    }

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [low, high).</summary>
    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Integer uniform in [low, high) (numpy <c>randint</c> bounds).</summary>
    public int NextInt(int low, int high)
    {
        if (high <= low) throw new ArgumentOutOfRangeException(nameof(high), $"empty range [{low}, {high})");
        ulong span = (ulong)((long)high - low);
        // Rejection sampling keeps the draw exactly uniform.
        ulong limit = ulong.MaxValue - ulong.MaxValue % span;
        ulong r;
        do { r = NextUInt64(); } while (r >= limit);
        return (int)(low + (long)(r % span));
    }

    public bool Bernoulli(double p) => NextDouble() < p;

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
