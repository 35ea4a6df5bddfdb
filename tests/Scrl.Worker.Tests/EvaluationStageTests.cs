using System.Text.Json;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Specs;
using Scrl.Pipeline.Tests.Azurite;

namespace Scrl.Worker.Tests;

/// <summary>The stages after pretraining, on Azurite: RoI linear evaluation and fine-tuning of the pretrain stage's checkpoint.</summary>
[Collection(AzuriteCollection.Name)]
[Trait("Category", "Azurite")]
public sealed class EvaluationStageTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task RoiEvalAndFinetune_OfThePretrainedCheckpoint_ReportScoresAndUploadTheirArtifacts()
    {
        await using var harness = await WorkerHarness.CreateAsync(azurite.Endpoints);
        harness.Start();
        JobMessage pretrain = WorkerHarness.PretrainJob("eval", maxSteps: 2, checkpointEvery: 2);
        await harness.Transport.SendAsync(pretrain, CancellationToken.None);
        JobOutcome pretrained = (await harness.NextOutcomeAsync(Timeout)).Outcome!;
        Assert.Equal(JobStatus.Succeeded, pretrained.Status);

        var roiEvalOptions = new StageJobOptions.RoiEval(Backbone.ResNet18, pretrained.Artifacts, ["random"], harness.LocalCoco, harness.LocalCoco,
            new Dictionary<string, string> { ["epochs"] = "2", ["imageSize"] = "64", ["imageBatch"] = "4" });
        JobMessage roiEval = Job(pretrain, "roi-eval", StageKind.RoiEval, StageJobOptions.ToJson(roiEvalOptions));
        await harness.Transport.SendAsync(roiEval, CancellationToken.None);
        JobOutcome evaluated = (await harness.NextOutcomeAsync(Timeout)).Outcome!;

        Assert.True(evaluated.Status == JobStatus.Succeeded, evaluated.Reason);
        Assert.InRange(evaluated.Metrics["top1"], 0, 1);
        Assert.InRange(evaluated.Metrics["baseline-1.top1"], 0, 1);
        foreach (string report in new[] { "pretrained/roi-eval.json", "pretrained/roi-eval-by-size.png", "baseline-1/roi-eval.json" })
            Assert.Contains(roiEval.ArtifactPrefix + report, evaluated.Artifacts);
        using (JsonDocument json = JsonDocument.Parse(await harness.ReadTextAsync(roiEval.ArtifactPrefix + "pretrained/roi-eval.json")))
            Assert.Equal(evaluated.Metrics["top1"], json.RootElement.GetProperty("scores").GetProperty("top1").GetDouble(), 12);

        var finetuneOptions = new StageJobOptions.Finetune(FinetuneDetector.FasterRcnn, FinetuneTask.CocoDetection, FinetuneSchedule.OneX, Backbone.ResNet18, pretrained.Artifacts,
            harness.LocalCoco, harness.LocalCoco, new Dictionary<string, string>
            {
                ["maxSteps"] = "2", ["imagesPerStep"] = "2", ["lrSteps"] = "[]", ["warmupSteps"] = "1", ["checkpointPeriod"] = "1",
                ["trainMinSizes"] = "[64]", ["testMinSize"] = "64", ["maxSize"] = "96",
            });
        JobMessage finetune = Job(pretrain, "finetune-faster-rcnn-coco-det-1x", StageKind.Finetune, StageJobOptions.ToJson(finetuneOptions));
        await harness.Transport.SendAsync(finetune, CancellationToken.None);
        JobOutcome finetuned = (await harness.NextOutcomeAsync(Timeout)).Outcome!;

        Assert.True(finetuned.Status == JobStatus.Succeeded, finetuned.Reason);
        Assert.Equal(2, finetuned.Metrics["steps"]);
        Assert.InRange(finetuned.Metrics["AP"], 0, 100);
        foreach (string artifact in new[] { "checkpoints/step-000002.ckpt", "checkpoints/latest", "metrics.jsonl", "evaluation/detections.json", "evaluation/summary.txt" })
            Assert.Contains(finetune.ArtifactPrefix + artifact, finetuned.Artifacts);
        Assert.Contains("Average Precision", await harness.ReadTextAsync(finetune.ArtifactPrefix + "evaluation/summary.txt"));
    }

    [Fact]
    public async Task EvaluationJobs_WithMissingDataOrBadOverrides_AreDeadLetteredNamingEveryProblem()
    {
        await using var harness = await WorkerHarness.CreateAsync(azurite.Endpoints);
        harness.Start();
        string missing = Path.Combine(harness.LocalCoco, "no-such-folder");
        var options = new StageJobOptions.Finetune(FinetuneDetector.FasterRcnn, FinetuneTask.CocoDetection, FinetuneSchedule.OneX, Backbone.ResNet18, ["runs/x/pretrain/metrics.jsonl"],
            missing, missing, new Dictionary<string, string> { ["maxSteps"] = "-1", ["noSuchOption"] = "3" });
        JobMessage job = Job(WorkerHarness.PretrainJob("bad", 1, 1), "finetune-faster-rcnn-coco-det-1x", StageKind.Finetune, StageJobOptions.ToJson(options));
        await harness.Transport.SendAsync(job, CancellationToken.None);

        DeadLetteredJob poison = await harness.NextPoisonAsync(Timeout);
        Assert.Contains("no checkpoint", poison.Reason);
        Assert.Contains("no-such-folder", poison.Reason);
        Assert.Contains("maxSteps", poison.Reason);
        Assert.Contains("noSuchOption", poison.Reason);
        Assert.Equal(JobStatus.Failed, (await harness.NextOutcomeAsync(Timeout)).Outcome!.Status);
    }

    private static JobMessage Job(JobMessage pretrain, string stage, StageKind kind, string optionsJson) =>
        pretrain with { JobId = $"{pretrain.RunId}-{stage}", Stage = kind, OptionsJson = optionsJson, ArtifactPrefix = $"runs/{pretrain.RunId}/{stage}/" };
}
