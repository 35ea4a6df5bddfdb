using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Support;

/// <summary>
/// Deterministic, platform-exact tensor values derived from a tensor's name, mirroring golden/training/hashed_init.py.
/// Lets parity goldens of whole networks ship without their (megabytes of) initial weights.
/// </summary>
public static class HashedInit
{
    private const double TwoToMinus53 = 1.0 / (1UL << 53);

    /// <summary>FNV-1a 64 of the UTF-8 name.</summary>
    public static ulong NameSeed(string name)
    {
        ulong h = 0xCBF29CE484222325UL;
        foreach (byte b in Encoding.UTF8.GetBytes(name)) h = (h ^ b) * 0x100000001B3UL;
        return h;
    }

    /// <summary>n values in [-1, 1): SplitMix64's finaliser over (seed, element index).</summary>
    public static double[] Uniform(string name, long n)
    {
        ulong seed = NameSeed(name) * 0x9E3779B97F4A7C15UL;
        var v = new double[n];
        for (long k = 0; k < n; k++)
        {
            ulong z = seed + (ulong)(k + 1) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            v[k] = (z >> 11) * TwoToMinus53 * 2.0 - 1.0;
        }
        return v;
    }

    /// <summary>Kaiming-uniform convolutions, 1/sqrt(fan_in) linears, BN gamma 1 +- 0.1, biases +- 0.1.</summary>
    public static Tensor Values(string name, long[] shape, ScalarType dtype)
    {
        long n = shape.Aggregate(1L, (a, b) => a * b);
        var v = Uniform(name, n);
        if (shape.Length >= 2)
        {
            long fanIn = n / shape[0];
            double bound = shape.Length == 4 ? Math.Sqrt(6.0 / fanIn) : 1.0 / Math.Sqrt(fanIn);
            for (long k = 0; k < n; k++) v[k] *= bound;
        }
        else if (name.EndsWith("weight", StringComparison.Ordinal))
        {
            for (long k = 0; k < n; k++) v[k] = 1.0 + 0.1 * v[k];
        }
        else
        {
            for (long k = 0; k < n; k++) v[k] = 0.1 * v[k];
        }
        return tensor(v, dtype: float64).reshape(shape).to(dtype);
    }

    /// <summary>Overwrites every parameter of <paramref name="module"/> with <see cref="Values"/> of its state-dict name.</summary>
    public static void Fill(nn.Module module)
    {
        using var noGrad = no_grad();
        foreach (var (name, p) in module.named_parameters())
            using (var v = Values(name, p.shape, p.dtype)) p.copy_(v);
    }

    /// <summary>Up to <paramref name="count"/> distinct flat indices spread over n elements (prime stride).</summary>
    public static long[] SampleIndices(long n, int count) =>
        n <= count ? Enumerable.Range(0, (int)n).Select(i => (long)i).ToArray()
                   : Enumerable.Range(0, count).Select(j => (j * 7919L + 13) % n).ToArray();
}
