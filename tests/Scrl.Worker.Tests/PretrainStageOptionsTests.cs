using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Specs;
using Scrl.Worker.Stages.Pretrain;

namespace Scrl.Worker.Tests;

public sealed class PretrainStageOptionsTests
{
    [Fact]
    public void Parse_RunOrchestratorsOptions_ReadsTheShardSetWithMethodBackboneAndOverrides()
    {
        string json = StageJobOptions.ToJson(new StageJobOptions.Pretrain(
            PretrainMethod.Byol, Backbone.ResNet18, "demo", new Dictionary<string, string> { ["run.maxSteps"] = "4" },
            ["datasets/abc123/shards/index.json", "datasets/abc123/shards/000000.tar"]));

        (PretrainStageOptions? options, IReadOnlyList<string> problems) = PretrainStageOptions.Parse(json);

        Assert.Empty(problems);
        Assert.Equal("datasets/abc123/shards/", options!.DatasetPrefix);
        Assert.Equal(["method=Byol", "network.backbone=ResNet18", "data.format=Shards", "run.maxSteps=4"], options.Overrides);
    }

    [Theory]
    [InlineData(PretrainMethod.ScrlContrastive, "scrl_contrastive_200ep", Scrl.Core.Configuration.PretrainMethod.ScrlContrastive)]
    [InlineData(PretrainMethod.InputConsistency, "input_consistency_200ep", Scrl.Core.Configuration.PretrainMethod.InputConsistency)]
    public void FromRun_PapersVariants_LoadAsTheCoreMethodOfTheirPreset(PretrainMethod method, string preset,
                                                                         Scrl.Core.Configuration.PretrainMethod expected)
    {
        var options = PretrainStageOptions.FromRun(new StageJobOptions.Pretrain(
            method, Backbone.ResNet18, preset, new Dictionary<string, string>(), ["datasets/abc/shards/index.json"]));

        var config = options!.LoadConfig("/data/shards");

        Assert.Equal(expected, config.Method);
        Assert.Equal(Scrl.Core.Models.ResNetVariant.ResNet18, config.Network.Backbone);
    }

    [Fact]
    public void Parse_RunOptionsWithoutAShardIndex_IsAProblem()
    {
        string json = StageJobOptions.ToJson(new StageJobOptions.Pretrain(
            PretrainMethod.Scrl, Backbone.ResNet18, "demo", new Dictionary<string, string>(), []));

        Assert.Contains(PretrainStageOptions.Parse(json).Problems, p => p.Contains("datasetPrefix", StringComparison.Ordinal));
    }
}
