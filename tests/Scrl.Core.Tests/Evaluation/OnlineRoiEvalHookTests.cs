using Scrl.Core.Configuration;
using Scrl.Core.Data;
using Scrl.Core.Training;
using Scrl.Core.Tests.Support;
using Scrl.Core.Tests.Training;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Evaluation;

public sealed class OnlineRoiEvalHookTests
{
    [Fact]
    public async Task Pretrain_WithEverySteps_LogsRoiEvalMetricsAtThoseSteps()
    {
        using var tiny = new TinyRun();
        using var run = new TempDirectory();
        var config = tiny.Config("run.maxSteps=4", "onlineRoiEval.everySteps=2", $"onlineRoiEval.source={tiny.DataRoot}",
                                 "onlineRoiEval.maxRoisPerSplit=40", "onlineRoiEval.epochs=2");

        using (var job = new PretrainJob(config, await tiny.SourceAsync(config), run.Path, CPU))
            await job.RunAsync();

        var roiLines = File.ReadAllLines(Path.Combine(run.Path, "metrics.jsonl")).Where(l => l.Contains("roi_eval/top1")).ToList();
        Assert.Equal(2, roiLines.Count);
        Assert.Contains("\"step\":2", roiLines[0].Replace(" ", ""));
        Assert.Contains("\"step\":4", roiLines[1].Replace(" ", ""));
    }

    [Fact]
    public void OnlineRoiEval_WithoutSource_IsAConfigError()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load("demo", ["onlineRoiEval.everySteps=10"]));
        Assert.Contains(e.Errors, error => error.Path == "onlineRoiEval.source");
    }
}
