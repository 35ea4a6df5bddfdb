using Scrl.Core.Configuration;
using Scrl.Core.Models;
using Scrl.Core.Optim;
using Scrl.Core.Training;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Models;

/// <summary>The learner with SimCLR's objective (appendix I): the online network alone, NT-Xent over the box pairs.</summary>
public sealed class ContrastiveLearnerTests
{
    private static ScrlLearner CreateLearner(double temperature = 0.2) => new(new ScrlLearnerOptions
    {
        Backbone = ResNetVariant.ResNet18, HiddenSize = 16, ProjectionSize = 8,
    }, new ContrastiveOptions { Temperature = temperature });

    private static readonly float[,] Boxes = { { 0, 0, 0, 40, 40 }, { 1, 8, 8, 56, 56 }, { 0, 16, 0, 64, 32 },
                                               { 2, 0, 0, 40, 40 }, { 3, 8, 8, 56, 56 }, { 2, 16, 0, 64, 32 } };

    [Fact]
    public void StateDict_HasNoPredictorAndNoTarget_AndEveryParameterIsOptimized()
    {
        using var learner = CreateLearner();
        var keys = learner.state_dict().Keys.ToArray();
        Assert.DoesNotContain(keys, k => k.StartsWith("predictor.", StringComparison.Ordinal) || k.StartsWith("target.", StringComparison.Ordinal));
        Assert.Contains("online.projector.net.3.weight", keys);
        Assert.False(learner.HasTarget);
        Assert.Equal(learner.parameters().Count(), learner.OptimizedParameters().Count());
        Assert.Throws<InvalidOperationException>(() => learner.UpdateTarget(0.99));
    }

    [Fact]
    public void ComputeLosses_IsNtXentOfTheOnlineBoxProjections()
    {
        using var scope = NewDisposeScope();
        using var learner = CreateLearner(temperature: 0.2);
        learner.train();
        var views = randn(4, 3, 64, 64, generator: new Generator(7));            // B = 2
        var rois = tensor(Boxes);                                                // [2R, 5], R = 3

        var losses = learner.ComputeLosses(views, rois, labels: null);
        var expected = NtXentLoss.Compute(learner.Online.call(views, rois).Projection, 0.2);

        Assert.Equal(expected.item<float>(), losses.Total.item<float>(), 5);
        losses.Total.backward();
        Assert.All(learner.Online.parameters(), p => Assert.NotNull(p.grad));
    }

    [Fact]
    public void Step_TakesNoMomentumUpdate_AndReportsNone()
    {
        using var learner = CreateLearner();
        var lars = new Lars(LarsGrouping.Group(learner.OptimizedParameters(), OfficialParameterNames.FromLearnerName, LarsMode.Byol),
                            new LarsOptions { Mode = LarsMode.Byol });
        var lr = new LrSchedule(0.3, globalBatchSize: 2, stepsPerEpoch: 5, epochs: 3, warmupEpochs: 1);
        var step = new ScrlStep(learner, lars, lr, new EmaSchedule(0.97, lr.TotalSteps));
        using var views = randn(4, 3, 64, 64);
        using var rois = tensor(Boxes);

        var result = step.Run(views, rois, labels: null, globalStep: 2);

        Assert.Null(result.EmaMomentum);
        Assert.True(result.Loss > 0 && double.IsFinite(result.Loss), $"loss {result.Loss}");
    }

    [Fact]
    public void Lars_ExcludesExactlyTheBatchNormParametersAndBiases_AsSimclrDoes()
    {
        using var learner = CreateLearner();
        var grouped = LarsGrouping.Group(learner.OptimizedParameters(), OfficialParameterNames.FromLearnerName, LarsMode.Byol);
        // SimCLR's LARS excludes names matching 'batch_normalization' or 'bias' from decay and adaptation.
        var modules = learner.named_modules().ToDictionary(m => m.name, m => m.module);
        foreach (var p in grouped)
        {
            int dot = p.Name.LastIndexOf('.');
            var owner = modules[p.Name[..dot]];
            bool simclrExcluded = owner.GetType().Name.StartsWith("BatchNorm", StringComparison.Ordinal) || p.Name.EndsWith(".bias", StringComparison.Ordinal);
            Assert.True(simclrExcluded == p.Excluded, $"{p.Name} ({owner.GetType().Name}): excluded {p.Excluded}");
        }
    }
}
