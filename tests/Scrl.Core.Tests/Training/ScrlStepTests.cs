using Scrl.Core.Models;
using Scrl.Core.Optim;
using Scrl.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Training;

public sealed class ScrlStepTests
{
    private static ScrlLearner CreateLearner(int numClasses) => new(new ScrlLearnerOptions
    {
        Backbone = ResNetVariant.ResNet18, HiddenSize = 16, ProjectionSize = 8, NumClasses = numClasses,
    });

    private static (ScrlStep Step, LrSchedule Lr, EmaSchedule Ema) Create(int numClasses) => Create(CreateLearner(numClasses));

    private static (ScrlStep Step, LrSchedule Lr, EmaSchedule Ema) Create(ScrlLearner learner)
    {
        var lars = new Lars(LarsGrouping.Group(learner.OptimizedParameters(), OfficialParameterNames.FromLearnerName, LarsMode.ScrlOfficial),
                            new LarsOptions());
        var lr = new LrSchedule(0.45, globalBatchSize: 2, stepsPerEpoch: 5, epochs: 3, warmupEpochs: 1);
        var ema = new EmaSchedule(0.97, lr.TotalSteps);
        return (new ScrlStep(learner, lars, lr, ema), lr, ema);
    }

    [Fact]
    public void Run_ReportsScheduledRates_AndNoClassifierLossInByolMode()
    {
        var (step, lr, ema) = Create(numClasses: 0);
        using var views = randn(4, 3, 32, 32);                                   // [2B, 3, S, S]

        var result = step.Run(views, rois: null, labels: null, globalStep: 3);

        Assert.Equal(3, result.Step);
        Assert.Equal(lr.At(3), result.LearningRate);
        Assert.Equal(ema.At(3), result.EmaMomentum);
        Assert.Null(result.ClassificationLoss);
        Assert.Equal(result.RegressionLoss, result.Loss);
        Assert.InRange(result.Loss, 0, 8);
    }

    [Fact]
    public void Run_LeavesNoTensorsBehind_AfterTheMomentumBuffersExist()
    {
        var (step, _, _) = Create(numClasses: 3);
        using var views = randn(4, 3, 64, 64);
        using var rois = tensor(new float[,] { { 0, 0, 0, 40, 40 }, { 1, 8, 8, 56, 56 }, { 2, 0, 0, 48, 40 }, { 3, 8, 0, 64, 56 } });
        using var labels = tensor(new long[] { 0, 2 });
        step.Run(views, rois, labels, globalStep: 0);                            // creates the momentum buffers
        long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        for (int k = 1; k <= 3; k++) step.Run(views, rois, labels, globalStep: k);

        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Run_ReleasesGradients_SoTheNextForwardDoesNotHoldThem()
    {
        using var scope = NewDisposeScope();
        using var learner = CreateLearner(numClasses: 0);
        var (step, _, _) = Create(learner);
        var views = randn(4, 3, 64, 64);
        var rois = tensor(new float[,] { { 0, 0, 0, 40, 40 }, { 1, 8, 8, 56, 56 }, { 2, 0, 0, 48, 40 }, { 3, 8, 0, 64, 56 } });
        var before = learner.Online.Encoder.parameters().Select(p => p.detach().clone()).ToArray();
        step.Run(views, rois, labels: null, globalStep: 0);

        Assert.All(learner.parameters(), p => Assert.Null(p.grad));
        Assert.Contains(learner.Online.Encoder.parameters().Zip(before), pair => pair.First.ne(pair.Second).any().item<bool>());
    }
}
