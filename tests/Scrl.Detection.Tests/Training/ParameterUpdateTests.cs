using Scrl.Core.Tests.Support;
using Scrl.Detection.Training;
using Scrl.Detection.Tests.Models;
using static TorchSharp.torch;

namespace Scrl.Detection.Tests.Training;

/// <summary>The fine-tuning optimizers against torch.optim (PyTorch 1.13) on the same float64 parameters and gradients.</summary>
public sealed class ParameterUpdateTests : IDisposable
{
    private static readonly string[] Names = ["w", "b", "s"];
    private static readonly double[] LearningRates = [2.5e-3, 2.5e-2, 1e-2, 2.5e-2];   // make_optimizers.py's
    private readonly string _directory = Directory.CreateTempSubdirectory("optimizers").FullName;
    private readonly Dictionary<string, Tensor> _golden;

    public ParameterUpdateTests()
    {
        string path = Path.Combine(_directory, "optimizers.pt");
        PythonOracle.Run("optim/make_optimizers.py", path);
        _golden = RetinaNetParityFixture.ReadTensors(path);
    }

    [Theory]
    [InlineData(FinetuneOptimizer.AdamW, "adamw", 1.0)]   // clipping idle on steps 0 and 2, binding on 1 and 3
    [InlineData(FinetuneOptimizer.Sgd, "sgd", 0.0)]
    public void FourSteps_MatchTorchOptim_WithinFloat64Rounding(FinetuneOptimizer optimizer, string tag, double clipNorm)
    {
        var parameters = Names.Select(n => (n, _golden[$"init.{n}"].clone().requires_grad_(true))).ToList();
        var update = ParameterUpdate.For(optimizer, parameters, new FinetuneOptions { WeightDecay = 1e-4, Momentum = 0.9 });

        for (int step = 0; step < LearningRates.Length; step++)
        {
            foreach (var (name, p) in parameters) p.grad = _golden[$"grad.{step}.{name}"].clone();
            if (clipNorm > 0) update.ClipGradients(clipNorm);
            update.Apply(LearningRates[step], step);
            foreach (var (name, p) in parameters)
                Golden.AssertClose(_golden[$"{tag}.{step}.{name}"], p, rtol: 1e-12, atol: 1e-14, what: $"{tag} step {step} {name}");
        }
    }

    public void Dispose()
    {
        foreach (var t in _golden.Values) t.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
