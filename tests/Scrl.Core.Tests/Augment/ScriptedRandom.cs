using Scrl.Core.Randomness;

namespace Scrl.Core.Tests.Augment;

/// <summary>Replays given draws, so a test can steer a sampler through chosen branches.</summary>
internal sealed class ScriptedRandom(IEnumerable<double> uniforms, IEnumerable<int> integers) : IRandomSource
{
    private readonly Queue<double> _uniforms = new(uniforms);
    private readonly Queue<int> _integers = new(integers);

    public double NextDouble() => Uniform(0, 1);

    public double Uniform(double low, double high)
    {
        double value = _uniforms.Dequeue();
        Assert.InRange(value, low, high);
        return value;
    }

    public int NextInt(int low, int high)
    {
        int value = _integers.Dequeue();
        Assert.InRange(value, low, high - 1);
        return value;
    }

    public bool Bernoulli(double p) => NextDouble() < p;

    public bool Exhausted => _uniforms.Count == 0 && _integers.Count == 0;
}
