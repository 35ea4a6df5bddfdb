using Scrl.Core.Evaluation;
using Scrl.Core.Models;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Evaluation;

public sealed class RoiEvaluatorTests(SyntheticRoiData data, ITestOutputHelper output) : IClassFixture<SyntheticRoiData>
{
    private RoiEvalReport Evaluate(string spec, RoiEvalOptions options)
    {
        var splits = data.Load(options);
        using var backbone = EvalBackbone.Load(spec, ResNetVariant.ResNet18, options.Seed, CPU);
        var report = new RoiEvaluator(options).Run(backbone.Module, backbone.DisplayName, backbone.Identity,
                                                   splits.Train, splits.Val, splits.Categories);
        output.WriteLine($"{spec} {options.Variant}: top-1 {report.Scores.Top1:F4}, mean class {report.Scores.MeanPerClassAccuracy:F4}, " +
                         $"loss {report.FinalTrainLoss:F4}, {report.Counts.TrainRois}/{report.Counts.ValRois} RoIs");
        return report;
    }

    [Fact]
    public void SameSeed_GivesExactlyTheSameScores()
    {
        var first = Evaluate(EvalBackbone.RandomSpec, SyntheticRoiData.Options);
        var second = Evaluate(EvalBackbone.RandomSpec, SyntheticRoiData.Options);

        Assert.Equal(first.Scores.Top1, second.Scores.Top1);
        Assert.Equal(first.Scores.PerClass, second.Scores.PerClass);
        Assert.Equal(first.FinalTrainLoss, second.FinalTrainLoss);
    }

    [Fact]
    public void CachedFeatures_AreReusedAndScoreTheSame()
    {
        var options = SyntheticRoiData.Options with { CacheDirectory = data.Scratch("cache"), Epochs = 5 };
        var cold = Evaluate(EvalBackbone.RandomSpec, options);
        var warm = Evaluate(EvalBackbone.RandomSpec, options);

        Assert.False(cold.TrainFeaturesFromCache);
        Assert.True(warm.TrainFeaturesFromCache);
        Assert.Equal(cold.Scores.Top1, warm.Scores.Top1);
        Assert.Equal(2, Directory.GetFiles(options.CacheDirectory, "roi-*.safetensors").Length);   // train and val
    }

    [Fact]
    public void BackboneTrainedALittle_BeatsRandomInit_ByAClearMargin()
    {
        var options = SyntheticRoiData.Options;
        var splits = data.Load(options);
        var random = Evaluate(EvalBackbone.RandomSpec, options);

        using var trained = EvalBackbone.Load(EvalBackbone.RandomSpec, ResNetVariant.ResNet18, options.Seed, CPU);   // same init as random
        SupervisedRoiTraining.Train(trained.Module, splits, options, epochs: 4, learningRate: 0.05);
        var report = new RoiEvaluator(options).Run(trained.Module, "trained", cacheIdentity: null, splits.Train, splits.Val, splits.Categories);
        output.WriteLine($"trained: top-1 {report.Scores.Top1:F4}, mean class {report.Scores.MeanPerClassAccuracy:F4}");

        // 0.382 vs 0.252 run after run; settings around these (3 to 5 epochs, learning rate 0.03 to 0.08) gave 0.33 to 0.40,
        // so the bar (7 of 131 val RoIs better than random) does not hang on this exact run.
        Assert.True(report.Scores.Top1 > random.Scores.Top1 + 0.05, $"trained {report.Scores.Top1:F3} vs random {random.Scores.Top1:F3}");
    }
}
