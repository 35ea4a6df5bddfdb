using Scrl.Core.Optim;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Optim;

/// <summary>LARS arithmetic on hand-sized tensors; ScrlStepParityTests checks it against torchlars on a real network.</summary>
public sealed class LarsTests
{
    private const double Lr = 0.5, Wd = 0.1, Trust = 1e-3, Eps = 1e-8, Momentum = 0.9;

    private static readonly double[] W0 = [3, -4, 1, 2];      // adapted [2, 2], ||W|| = sqrt(30)
    private static readonly double[] B0 = [0.5, -1];          // excluded [2]
    private static readonly double[] GradW = [0.2, 0.1, -0.3, 0.4];
    private static readonly double[] GradB = [1, 2];

    private static (Parameter W, Parameter B, Lars Optimizer) Create(LarsMode mode)
    {
        var w = new Parameter(tensor(W0, dtype: float64).reshape(2, 2));
        var b = new Parameter(tensor(B0, dtype: float64));
        var lars = new Lars([new("w", w, Excluded: false), new("b", b, Excluded: true)],
                            new LarsOptions { WeightDecay = Wd, TrustCoefficient = Trust, Epsilon = Eps, Momentum = Momentum, Mode = mode });
        return (w, b, lars);
    }

    private static void SetGradients(Parameter w, Parameter b)
    {
        w.grad = tensor(GradW, dtype: float64).reshape(2, 2);
        b.grad = tensor(GradB, dtype: float64);
    }

    private static double Norm(IEnumerable<double> v) => Math.Sqrt(v.Sum(x => x * x));

    [Fact]
    public void ScrlOfficial_TwoSteps_FollowTorchlarsAndTheLrSquaredQuirk()
    {
        using var scope = NewDisposeScope();
        var (w, b, lars) = Create(LarsMode.ScrlOfficial);
        double[] w1 = (double[])W0.Clone(), b1 = (double[])B0.Clone(), bufW = new double[4], bufB = new double[2];

        for (int step = 0; step < 2; step++)
        {
            SetGradients(w, b);
            lars.Step(Lr);
            // Expected: ratio = trust*||p|| / (||g|| + wd*||p|| + eps); d = (g + wd*p)*ratio; excluded d = g*lr.
            double ratio = Trust * Norm(w1) / (Norm(GradW) + Wd * Norm(w1) + Eps);
            for (int i = 0; i < 4; i++) { bufW[i] = Momentum * bufW[i] + (GradW[i] + Wd * w1[i]) * ratio; w1[i] -= Lr * bufW[i]; }
            for (int i = 0; i < 2; i++) { bufB[i] = Momentum * bufB[i] + GradB[i] * Lr; b1[i] -= Lr * bufB[i]; }
        }

        AssertValues(w1, w);
        AssertValues(b1, b);
        AssertValues(bufW, lars.StateDict()["w"]);
        AssertValues(bufB, lars.StateDict()["b"]);
    }

    [Fact]
    public void Byol_TwoSteps_UseTheDecayedGradientNorm_AndPlainLrForExcluded()
    {
        using var scope = NewDisposeScope();
        var (w, b, lars) = Create(LarsMode.Byol);
        double[] w1 = (double[])W0.Clone(), b1 = (double[])B0.Clone(), bufW = new double[4], bufB = new double[2];

        for (int step = 0; step < 2; step++)
        {
            SetGradients(w, b);
            lars.Step(Lr);
            var u = Enumerable.Range(0, 4).Select(i => GradW[i] + Wd * w1[i]).ToArray();
            double ratio = Trust * Norm(w1) / Norm(u);
            for (int i = 0; i < 4; i++) { bufW[i] = Momentum * bufW[i] + u[i] * ratio; w1[i] -= Lr * bufW[i]; }
            for (int i = 0; i < 2; i++) { bufB[i] = Momentum * bufB[i] + GradB[i]; b1[i] -= Lr * bufB[i]; }
        }

        AssertValues(w1, w);
        AssertValues(b1, b);
    }

    [Fact]
    public void ZeroParameter_GetsTrustRatioOne()
    {
        using var scope = NewDisposeScope();
        var w = new Parameter(zeros(3, dtype: float64).reshape(1, 3));
        var lars = new Lars([new("w", w, Excluded: false)], new LarsOptions { WeightDecay = Wd });
        w.grad = tensor(new double[] { 1, 2, 3 }).reshape(1, 3);

        lars.Step(Lr);

        AssertValues([-0.5, -1, -1.5], w);                      // p -= lr * g: torchlars falls back to plain SGD
    }

    [Fact]
    public void LoadStateDict_ResumesExactlyWhereTheSavedOptimizerStopped()
    {
        using var scope = NewDisposeScope();
        var (wA, bA, uninterrupted) = Create(LarsMode.ScrlOfficial);
        var (wB, bB, beforeSave) = Create(LarsMode.ScrlOfficial);
        SetGradients(wA, bA); uninterrupted.Step(Lr);
        SetGradients(wB, bB); beforeSave.Step(Lr);
        var saved = beforeSave.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        beforeSave.Dispose();

        var resumed = new Lars([new("w", wB, Excluded: false), new("b", bB, Excluded: true)], uninterrupted.Options);
        resumed.LoadStateDict(saved);
        SetGradients(wA, bA); uninterrupted.Step(Lr);
        SetGradients(wB, bB); resumed.Step(Lr);

        Assert.Equal(0.0, (wA - wB).abs().max().item<double>());
        Assert.Equal(0.0, (bA - bB).abs().max().item<double>());
    }

    [Fact]
    public void LoadStateDict_RejectsUnknownNamesAndWrongShapes()
    {
        using var scope = NewDisposeScope();
        var (_, _, lars) = Create(LarsMode.ScrlOfficial);
        Assert.Throws<ArgumentException>(() => lars.LoadStateDict(new Dictionary<string, Tensor> { ["x"] = zeros(2) }));
        Assert.Throws<ArgumentException>(() => lars.LoadStateDict(new Dictionary<string, Tensor> { ["b"] = zeros(3) }));
    }

    private static void AssertValues(double[] expected, Tensor actual)
    {
        var values = actual.detach().flatten().data<double>().ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], values[i], 1e-12);
    }
}
