namespace Scrl.Core.Randomness;

/// <summary>
/// The draws that augmentation and box generation make. An interface so tests can replay a draw sequence
/// recorded from the Python reference and compare results exactly.
/// </summary>
public interface IRandomSource
{
    /// <summary>Uniform in [0, 1).</summary>
    double NextDouble();

    /// <summary>Uniform in [low, high).</summary>
    double Uniform(double low, double high);

    /// <summary>Integer uniform in [low, high), numpy <c>randint</c> semantics.</summary>
    int NextInt(int low, int high);

    /// <summary>True with probability <paramref name="p"/>.</summary>
    bool Bernoulli(double p);
}
