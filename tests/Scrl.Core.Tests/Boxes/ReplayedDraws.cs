using Scrl.Core.Randomness;

namespace Scrl.Core.Tests.Boxes;

/// <summary>
/// Replays numpy draws recorded by a golden script. Each request must match the recorded kind and bounds,
/// so a port that draws in a different order, or with different bounds, fails at the first divergence.
/// </summary>
internal sealed class ReplayedDraws(byte[] kinds, int[] randints, double[] uniforms) : IRandomSource
{
    private const byte RandInt = 0, UniformDraw = 1;
    private int _next, _nextInt, _nextUniform;

    public int Remaining => kinds.Length - _next;

    public int NextInt(int low, int high)
    {
        Expect(RandInt, $"randint({low}, {high})");
        int at = 3 * _nextInt++;
        Assert.True((randints[at], randints[at + 1]) == (low, high),
            $"draw {_next - 1}: asked randint({low}, {high}), recorded randint({randints[at]}, {randints[at + 1]})");
        return randints[at + 2];
    }

    public double Uniform(double low, double high)
    {
        Expect(UniformDraw, $"uniform({low}, {high})");
        int at = 3 * _nextUniform++;
        Assert.True((uniforms[at], uniforms[at + 1]) == (low, high),
            $"draw {_next - 1}: asked uniform({low}, {high}), recorded uniform({uniforms[at]}, {uniforms[at + 1]})");
        return uniforms[at + 2];
    }

    public double NextDouble() => throw new InvalidOperationException("the reference never draws a bare uniform here");

    public bool Bernoulli(double p) => throw new InvalidOperationException("the reference never draws a Bernoulli here");

    private void Expect(byte kind, string asked)
    {
        Assert.True(_next < kinds.Length, $"asked {asked} after all {kinds.Length} recorded draws");
        Assert.True(kinds[_next] == kind, $"draw {_next}: asked {asked}, recorded a {(kinds[_next] == RandInt ? "randint" : "uniform")}");
        _next++;
    }
}
