using Scrl.Core.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Models;

public sealed class ScrlLearnerTests
{
    private static ScrlLearner CreateLearner(int numClasses = 0) => new(new ScrlLearnerOptions
    {
        Backbone = ResNetVariant.ResNet18, HiddenSize = 16, ProjectionSize = 8, NumClasses = numClasses,
    });

    [Fact]
    public void Target_HasItsOwnInit_AndNeverRequiresGrad()
    {
        using var learner = CreateLearner();
        var online = learner.Online.named_parameters().ToDictionary(p => p.name, p => p.parameter);

        foreach (var (name, t) in learner.Target.named_parameters())
        {
            Assert.False(t.requires_grad, name);
            Assert.True(online[name].requires_grad, name);
        }
        // Randomly initialized tensors differ (BN gammas/betas start at 1/0 in both).
        var target = learner.Target.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var name in new[] { "encoder.conv1.weight", "encoder.layer4.1.conv2.weight", "projector.net.3.weight" })
            Assert.True((target[name] - online[name]).abs().max().item<float>() > 0, name);
    }

    [Fact]
    public void OptimizedParameters_AreOnlinePredictorAndClassifier_NeverTarget()
    {
        using var learner = CreateLearner(numClasses: 5);

        var prefixes = learner.OptimizedParameters().Select(p => p.Name.Split('.')[0]).Distinct().Order().ToArray();

        Assert.Equal(new[] { "classifier", "online", "predictor" }, prefixes);
        Assert.Equal(learner.parameters().Count() - learner.Target.parameters().Count(), learner.OptimizedParameters().Count());
    }

    [Fact]
    public void UpdateTarget_AveragesParameters_AndLeavesBatchNormStatistics()
    {
        using var scope = NewDisposeScope();
        using var learner = CreateLearner();
        using (no_grad())
            foreach (var (name, buffer) in learner.Target.named_buffers().Where(b => b.name.EndsWith("running_mean")))
                buffer.fill_(0.5);
        var targetBefore = learner.Target.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        var online = learner.Online.state_dict();

        learner.UpdateTarget(0.9);

        var parameterNames = learner.Target.named_parameters().Select(p => p.name).ToHashSet();
        foreach (var (name, after) in learner.Target.state_dict())
        {
            var expected = parameterNames.Contains(name) ? targetBefore[name] * 0.9 + online[name] * 0.1 : targetBefore[name];
            Assert.True((after - expected).abs().max().to(float64).item<double>() < 1e-6, name);
        }
    }

    [Fact]
    public void ClassificationLoss_TrainsOnlyTheClassifier()
    {
        using var scope = NewDisposeScope();
        using var learner = CreateLearner(numClasses: 3);
        learner.train();
        var views = randn(4, 3, 64, 64);                                         // B = 2
        var rois = tensor(new float[,] { { 0, 0, 0, 40, 40 }, { 1, 8, 8, 56, 56 }, { 2, 0, 0, 40, 40 }, { 3, 8, 8, 56, 56 } });

        var losses = learner.ComputeLosses(views, rois, tensor(new long[] { 0, 2 }));
        losses.Classification!.backward();

        Assert.NotNull(learner.Classifier!.weight!.grad);
        Assert.All(learner.Online.parameters().Concat(learner.Predictor.parameters()),
                   p => Assert.True(p.grad is null || p.grad.abs().max().item<float>() == 0));
        Assert.Equal(losses.Regression.item<float>() + losses.Classification.item<float>(), losses.Total.item<float>(), 5);
        Assert.InRange(losses.Regression.item<float>(), 0f, 8f);
    }

    [Fact]
    public void ComputeLosses_HandsBackOnlyTheLosses_AndBackwardStillReachesTheOnlineNetwork()
    {
        using var scope = NewDisposeScope();
        using var learner = CreateLearner();
        learner.train();
        var views = randn(4, 3, 64, 64);                                         // B = 2
        var rois = tensor(new float[,] { { 0, 0, 0, 40, 40 }, { 1, 8, 8, 56, 56 }, { 2, 0, 0, 40, 40 }, { 3, 8, 8, 56, 56 } });
        long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        var losses = learner.ComputeLosses(views, rois, labels: null);

        // Total and Regression are one tensor; the activations are autograd's alone, so backward can free them as it goes.
        Assert.Equal(live + 1, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        losses.Total.backward();
        Assert.All(learner.Online.parameters().Concat(learner.Predictor.parameters()), p => Assert.NotNull(p.grad));
    }

    [Fact]
    public void ComputeLosses_RejectsBatchesWithoutBoxes_AndMissingLabels()
    {
        using var scope = NewDisposeScope();
        using var learner = CreateLearner(numClasses: 3);
        var views = randn(4, 3, 64, 64);
        var labels = tensor(new long[] { 0, 1 });

        Assert.Throws<ArgumentException>(() => learner.ComputeLosses(views, zeros(0, 5), labels));
        Assert.Throws<ArgumentException>(() => learner.ComputeLosses(views, null, null));
    }
}
