using Scrl.Core.Models;
using Scrl.Core.Optim;
using Scrl.Core.Tests.Support;
using Scrl.Core.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Training;

/// <summary>
/// Full training steps against golden/training/make_scrl_step.py, which runs the official kakaobrain/scrl
/// networks, loss, torchlars+CustomLARS (or deepmind's BYOL LARS), LinearWarmupScheduler and EMA schedule. The
/// float64 goldens take three steps, two in warmup and one on the cosine branch of both schedules, isolate the
/// algorithm from rounding and check every state tensor's change; the float32 one (two steps) checks the training
/// dtype through losses and momentum buffers (its parameter changes are below float32 resolution of the weights).
/// The float64 steps run on our default channels-last layout; the float32 step runs NCHW like the official code,
/// because in float32 the first convolution's weight gradient (a sum over every pixel, nearly cancelled by the
/// BatchNorm backward) depends on summation order by more than the tolerance.
/// </summary>
public sealed class ScrlStepParityTests(ITestOutputHelper output)
{
    // Errors are relative to the value, or to the tensor's rms for an element near zero. Worst measured: SCRL
    // float64 2.2e-13 to 1.4e-10, BYOL float64 6e-11 to 3.0e-8 (deepmind's trust ratio divides by ||g + wd p||, a
    // norm of a sum that cancels more), SCRL float32 1.5e-5 to 1.7e-5. Each tolerance allows about six times the
    // largest of them.
    private const double ScrlFloat64Tolerance = 1e-9;
    private const double ByolFloat64Tolerance = 2e-7;
    private const double ScrlFloat32Tolerance = 1e-4;
    private const int Samples = 128;                     // make_scrl_step.py SAMPLES

    // A Linear bias feeding BatchNorm has an analytically zero gradient. It comes out ~1e-16 in float64 (covered by
    // this floor) and ~1e-9 in float32, where such a tensor is only checked to be noise on both sides: every other
    // momentum buffer here has a norm above 1e-3.
    private const double AbsoluteTolerance = 1e-12;
    private const double Float32NoiseNorm = 1e-7;

    [Fact]
    public void ScrlStep_WarmupAndCosineStepsWithClassifier_MatchOfficialPyTorch() =>
        RunAndCompare("training/scrl_step.pt", numClasses: 10, LarsMode.ScrlOfficial, useBoxes: true, float64, ScrlFloat64Tolerance);

    [Fact]
    public void ByolStep_WarmupAndCosineStepsWithDeepmindLars_MatchPyTorch() =>
        RunAndCompare("training/byol_step.pt", numClasses: 0, LarsMode.Byol, useBoxes: false, float64, ByolFloat64Tolerance);

    [Fact]
    public void ScrlStep_Float32_LossesAndMomentumMatchOfficialPyTorch() =>
        RunAndCompare("training/scrl_step_float32.pt", numClasses: 10, LarsMode.ScrlOfficial, useBoxes: true, float32, ScrlFloat32Tolerance);

    private void RunAndCompare(string goldenFile, int numClasses, LarsMode mode, bool useBoxes, ScalarType dtype, double tolerance)
    {
        var golden = Golden.Load(goldenFile);
        using var scope = NewDisposeScope();
        var learner = new ScrlLearner(new ScrlLearnerOptions
        {
            Backbone = ResNetVariant.ResNet18, HiddenSize = 64, ProjectionSize = 32, NumClasses = numClasses,
            ChannelsLast = dtype == float64,
        });
        learner.to(dtype);
        HashedInit.Fill(learner);
        var before = learner.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());

        var optimizer = new Lars(
            LarsGrouping.Group(learner.OptimizedParameters(), OfficialParameterNames.FromLearnerName, mode),
            new LarsOptions { WeightDecay = 1e-6, Momentum = 0.9, Mode = mode });
        var lr = new LrSchedule(baseLearningRate: 0.45, globalBatchSize: 4, stepsPerEpoch: 2, epochs: 4, warmupEpochs: 1);
        var step = new ScrlStep(learner, optimizer, lr, new EmaSchedule(0.97, lr.TotalSteps));

        var views = HashedInit.Values("views", [8, 3, 64, 64], dtype);            // [2B, 3, S, S]
        Assert.Equal(golden["views_checksum"].item<double>(), views.to(float64).sum().item<double>(), 1e-9);
        var rois = useBoxes ? golden["rois"] : null;                               // [2R, 5]
        var labels = numClasses > 0 ? golden["labels"] : null;                     // [B]

        int steps = golden.Keys.Count(k => k.StartsWith("lr.", StringComparison.Ordinal));
        if (dtype == float64)
            Assert.True(steps - 1 >= lr.WarmupEpochs * lr.StepsPerEpoch && lr.At(steps - 1) < lr.PeakLearningRate,
                "the float64 golden's last step is past warmup, on the cosine branch of both schedules");
        double worst = 0;
        for (int k = 0; k < steps; k++)
        {
            var result = step.Run(views, rois, labels, globalStep: k);
            Assert.Equal(golden[$"lr.{k}"].item<double>(), result.LearningRate, 1e-15);
            Assert.Equal(golden[$"ema_momentum.{k}"].item<double>(), result.EmaMomentum!.Value, 1e-15);
            worst = Math.Max(worst, CompareScalar(golden[$"loss.{k}"], result.Loss, $"loss.{k}", tolerance));
            if (numClasses > 0)
                worst = Math.Max(worst, CompareScalar(golden[$"classification_loss.{k}"], result.ClassificationLoss!.Value, $"classification_loss.{k}", tolerance));
        }

        int compared = 0;
        foreach (var (name, after) in learner.state_dict().Where(kv => golden.ContainsKey($"delta.{kv.Key}")))
        {
            var delta = (after - before[name]).flatten();
            var index = tensor(HashedInit.SampleIndices(delta.numel(), Samples));
            if (!delta.is_floating_point())
            {
                Assert.Equal(golden[$"delta.{name}"].data<long>().ToArray(), delta.index_select(0, index).data<long>().ToArray());
                continue;
            }
            worst = Math.Max(worst, CompareSamples(golden[$"delta.{name}"], delta.index_select(0, index), $"delta.{name}", tolerance));
            worst = Math.Max(worst, CompareScalar(golden[$"delta_norm.{name}"], delta.norm().to(float64).item<double>(), $"delta_norm.{name}", tolerance));
            compared++;
        }
        foreach (var (name, buffer) in optimizer.StateDict())
        {
            var flat = buffer.flatten();
            if (dtype == float32 && golden[$"momentum_norm.{name}"].item<float>() < Float32NoiseNorm)
            {
                Assert.True(flat.norm().item<float>() < Float32NoiseNorm, $"momentum.{name} should be float32 noise");
                continue;
            }
            var index = tensor(HashedInit.SampleIndices(flat.numel(), Samples));
            worst = Math.Max(worst, CompareSamples(golden[$"momentum.{name}"], flat.index_select(0, index), $"momentum.{name}", tolerance));
            worst = Math.Max(worst, CompareScalar(golden[$"momentum_norm.{name}"], flat.norm().to(float64).item<double>(), $"momentum_norm.{name}", tolerance));
        }
        Assert.Equal(golden.Keys.Count(k => k.StartsWith("momentum.", StringComparison.Ordinal)), optimizer.StateDict().Count);
        Assert.Equal(golden.Keys.Count(k => k.StartsWith("delta_norm.", StringComparison.Ordinal)), compared);
        Assert.True(compared > 0 || dtype == float32, "the float64 goldens store every state tensor's change");
        output.WriteLine($"{goldenFile}: worst |actual - expected| / (|expected| + tensor rms) = {worst:E2}");
    }

    /// <returns>The error relative to the value's magnitude (floored at the noise level).</returns>
    private static double CompareScalar(Tensor expected, double actual, string what, double tolerance)
    {
        double e = expected.to(float64).item<double>();
        double relative = Math.Abs(actual - e) / (Math.Abs(e) + AbsoluteTolerance / tolerance);
        Assert.True(relative <= tolerance, $"{what}: expected {e:G17}, actual {actual:G17} (relative {relative:E2})");
        return relative;
    }

    /// <returns>The worst error relative to each element's magnitude plus the samples' rms (a near-zero element
    /// of a tensor that moves is judged against the tensor's scale, not its own).</returns>
    private static double CompareSamples(Tensor expected, Tensor actual, string what, double tolerance)
    {
        Assert.Equal(expected.shape, actual.shape);
        var e = expected.to(float64);
        var scale = e.abs() + e.square().mean().sqrt() + AbsoluteTolerance / tolerance;   // [n]
        var relative = (actual.to(float64) - e).abs() / scale;                     // [n]
        double worst = relative.max().item<double>();
        if (worst > tolerance)
        {
            long i = relative.argmax().item<long>();
            Assert.Fail($"{what}[{i}]: expected {e[i].item<double>():G17}, actual {actual[i].to(float64).item<double>():G17} (relative {worst:E2})");
        }
        return worst;
    }
}
