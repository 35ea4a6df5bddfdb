using Scrl.Core.Models;
using Scrl.Core.Optim;
using Scrl.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Training;

public sealed class ScrlStepTests
{
    private static (ScrlStep Step, LrSchedule Lr, EmaSchedule Ema) Create(int numClasses)
    {
        var learner = new ScrlLearner(new ScrlLearnerOptions
        {
            Backbone = ResNetVariant.ResNet18, HiddenSize = 16, ProjectionSize = 8, NumClasses = numClasses,
        });
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
}
