using System.Text.Json;
using Scrl.Cli.Tests.Support;
using Scrl.Core.Data.Coco;
using Scrl.Detection;

namespace Scrl.Cli.Tests.Commands;

public sealed class FinetuneCommandTests(GeneratedCoco coco) : IClassFixture<GeneratedCoco>
{
    [Fact]
    public async Task Finetune_IntoAFolderThatDoesNotExist_TrainsAndCheckpoints_AndARerunHasNothingLeft()
    {
        string output = Path.Combine(coco.NewFolder(), "runs", "ft");   // two levels that do not exist yet
        string[] args =
        [
            "finetune", "--task", "coco-det", "--backbone", "random", "--train", CocoLayout.AnnotationFile(coco.Root, CocoLayout.Train),
            "-o", output, "--set", "maxSteps=1", "--set", "imagesPerStep=2",
            "--set", "trainMinSizes=[64]", "--set", "testMinSize=64", "--set", "maxSize=112", "--set", "warmupSteps=1", "--set", "lrSteps=[]",
        ];

        var (code, first) = await CliRunner.RunAsync(args);

        Assert.True(code == 0, first);
        Assert.True(File.Exists(Path.Combine(output, "checkpoints", "step-000001.ckpt")), first);
        Assert.Single(File.ReadAllLines(Path.Combine(output, "metrics.jsonl")));
        Assert.Matches(@"step 1/1 loss \d+\.\d{4}[\s\S]*done at step 1", first);   // progress in order, then the summary

        var (again, second) = await CliRunner.RunAsync(args);

        Assert.True(again == 0, second);
        Assert.Contains("already holds all 1 steps", second);
        Assert.Single(File.ReadAllLines(Path.Combine(output, "metrics.jsonl")));
    }

    [Fact]
    public async Task Finetune_WithASplitThatDoesNotExist_FailsAtOnceNamingItsAnnotations()
    {
        string output = Path.Combine(coco.NewFolder(), "ft");

        var e = await Assert.ThrowsAsync<FileNotFoundException>(() => CliRunner.RunAsync(
            "finetune", "--task", "coco-det", "--train", coco.Root, "--train-split", "trainval", "-o", output));

        Assert.Contains(CocoLayout.AnnotationFile(coco.Root, "trainval"), e.Message);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task Finetune_AnnotationFileOfOneSplitWithAnother_FailsNamingBoth()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => CliRunner.RunAsync(
            "finetune", "--train", CocoLayout.AnnotationFile(coco.Root, CocoLayout.Train), "--train-split", "val", "-o", coco.NewFolder()));

        Assert.Contains("--train-split val contradicts", e.Message);
        Assert.Contains("which is the train split", e.Message);
    }

    [Fact]
    public async Task Finetune_RetinaNetIntoAFasterRcnnRunFolder_FailsNamingBothDetectors()
    {
        string output = coco.NewFolder();
        string[] common = ["finetune", "--train", coco.Root, "-o", output, .. TinySchedule(steps: 1)];
        var (code, first) = await CliRunner.RunAsync([.. common, "--detector", "faster-rcnn"]);
        Assert.True(code == 0, first);

        var e = await Assert.ThrowsAsync<DetectorMismatchException>(() => CliRunner.RunAsync([.. common, "--detector", "retinanet"]));

        Assert.Equal($"checkpoint '{Path.Combine(output, "checkpoints", "step-000001.ckpt")}' holds a faster-rcnn detector, not the retinanet asked for", e.Message);
    }

    [Fact]
    public async Task Finetune_RetinaNetWithVal_TrainsScoresAndEvaluateReadsTheDetectorFromTheCheckpoint()
    {
        string output = coco.NewFolder();

        var (code, trained) = await CliRunner.RunAsync(["finetune", "--detector", "retinanet", "--train", coco.Root, "--val", coco.Root, "-o", output, .. TinySchedule(steps: 2)]);

        Assert.True(code == 0, trained);
        Assert.Contains("retinanet on coco-det", trained);
        Assert.Contains("Average Precision", trained);
        foreach (string file in new[] { "config.json", "summary.json", "metrics.jsonl", "evaluation/detections.json", "evaluation/summary.txt", "report/report.md" })
            Assert.True(File.Exists(Path.Combine(output, file)), file);
        string[] losses = [.. JsonDocument.Parse(File.ReadLines(Path.Combine(output, "metrics.jsonl")).First()).RootElement.GetProperty("scalars").EnumerateObject().Select(p => p.Name)];
        Assert.Contains("classification", losses);
        Assert.Contains("bbox_regression", losses);
        using (var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json"))))
            Assert.Equal("retinanet", summary.RootElement.GetProperty("detector").GetString());

        await AssertEvaluateReadsTheDetector(Path.Combine(output, "checkpoints", "step-000002.ckpt"), "retinanet");
    }

    [Fact]
    public async Task Finetune_SparseRcnnWith300ProposalsAndCrops_TrainsWithAdamW_ScoresAndEvaluateReadsTheDetector()
    {
        string output = coco.NewFolder();

        var (code, trained) = await CliRunner.RunAsync(["finetune", "--detector", "sparse-rcnn", "--train", coco.Root, "--val", coco.Root, "-o", output,
                                                         "--set", "proposals=300", "--set", "randomCrop=true", .. TinySchedule(steps: 2)]);

        Assert.True(code == 0, trained);
        Assert.Contains("sparse-rcnn on coco-det", trained);
        Assert.Contains("Average Precision", trained);
        var first = JsonDocument.Parse(File.ReadLines(Path.Combine(output, "metrics.jsonl")).First()).RootElement.GetProperty("scalars");
        string[] losses = [.. first.EnumerateObject().Select(p => p.Name)];
        Assert.Equal(18, losses.Count(name => name.StartsWith("loss_", StringComparison.Ordinal)));   // three terms for each of the six stages
        Assert.Equal(2.5e-5 * 2 / 16 * 0.01, first.GetProperty("lr").GetDouble(), 12);                 // AdamW's base, scaled to 2 images, warming up from 0.01
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "config.json"))))
        {
            var training = config.RootElement.GetProperty("training");
            Assert.Equal(300, training.GetProperty("proposals").GetInt32());
            Assert.True(training.GetProperty("randomCrop").GetBoolean());
            Assert.Equal("adamw", training.GetProperty("optimizer").GetString()!.ToLowerInvariant());
        }

        await AssertEvaluateReadsTheDetector(Path.Combine(output, "checkpoints", "step-000002.ckpt"), "sparse-rcnn");
    }

    [Fact]
    public async Task Finetune_CocoInstances_TrainsMaskRcnnByDefault_AndScoresBoxesAndMasks()
    {
        string output = coco.NewFolder();

        var (code, trained) = await CliRunner.RunAsync(["finetune", "--task", "coco-instances", "--train", coco.Root, "--val", coco.Root, "-o", output, .. TinySchedule(steps: 1)]);

        Assert.True(code == 0, trained);
        Assert.Contains("mask-rcnn on coco-instances", trained);
        Assert.Contains("IoU metric: segm", trained);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json")));
        var scores = summary.RootElement.GetProperty("scores");
        Assert.Equal(scores.GetProperty("metrics").GetProperty("segm/AP").GetDouble(), scores.GetProperty("ap").GetDouble());   // the headline is mask AP
        Assert.True(scores.GetProperty("metrics").TryGetProperty("bbox/AP50", out _));
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "evaluation", "detections.json")));
        Assert.All(results.RootElement.EnumerateArray(), d => Assert.True(d.GetProperty("segmentation").GetProperty("counts").GetString()!.Length > 0));
    }

    [Fact]
    public async Task Finetune_InstanceTaskWithABoxDetector_IsRefusedNamingTheDetectorItTakes()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => CliRunner.RunAsync(
            "finetune", "--task", "coco-instances", "--detector", "faster-rcnn", "--train", coco.Root, "-o", coco.NewFolder()));

        Assert.Equal("coco-instances fine-tunes mask-rcnn, not faster-rcnn", e.Message);
    }

    [Fact]
    public async Task Finetune_KeypointTaskOnADatasetWithoutKeypoints_IsRefusedBeforeAnyStep()
    {
        // A person_keypoints file whose annotations carry no keypoints: the shapes' instances under that name.
        string root = coco.NewFolder();
        Directory.CreateDirectory(Path.Combine(root, "annotations"));
        File.Copy(CocoLayout.AnnotationFile(coco.Root, CocoLayout.Train), CocoLayout.KeypointsFile(root, CocoLayout.Train));
        Directory.CreateSymbolicLink(CocoLayout.ImageFolder(root, CocoLayout.Train), CocoLayout.ImageFolder(coco.Root, CocoLayout.Train));
        string output = Path.Combine(coco.NewFolder(), "ft");

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => CliRunner.RunAsync(["finetune", "--task", "coco-keypoints", "--train", root, "-o", output, .. TinySchedule(steps: 1)]));

        Assert.StartsWith("This detector trains on keypoints, but ", e.Message);
        Assert.Contains("person_keypoints_<split>2017.json", e.Message);
        Assert.False(Directory.Exists(output));
    }

    /// <summary>scrl evaluate --model takes the detector from the checkpoint and scores it.</summary>
    private async Task AssertEvaluateReadsTheDetector(string checkpoint, string detector)
    {
        var (evaluated, printed) = await CliRunner.RunAsync("evaluate", "--model", checkpoint, "--val", coco.Root, "--min-size", "64", "--max-size", "96",
                                                            "--overlays", "0", "-o", coco.NewFolder());

        Assert.True(evaluated == 0, printed);
        Assert.Contains($"{detector} from {checkpoint}", printed);
        Assert.Contains("Average Precision", printed);
    }

    /// <summary>A few steps at 64 px, so a test trains in seconds.</summary>
    internal static string[] TinySchedule(int steps) =>
    [
        "--set", $"maxSteps={steps}", "--set", "imagesPerStep=2", "--set", "trainMinSizes=[64]", "--set", "testMinSize=64", "--set", "maxSize=96",
        "--set", "warmupSteps=1", "--set", "lrSteps=[]",
    ];
}
