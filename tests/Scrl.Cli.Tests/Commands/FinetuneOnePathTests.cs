using System.Text.Json;
using Scrl.Cli.Tests.Support;
using Scrl.Cli.Tests.Supervision;
using Scrl.Core.Models;
using Scrl.Core.Training.Checkpoints;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Specs;

namespace Scrl.Cli.Tests.Commands;

/// <summary>
/// <c>scrl finetune</c> and a <c>scrl worker</c> given the same options run the same job: the same run folder,
/// the same training, and the store holds all of it.
/// </summary>
[Collection(ChildProcessCollection.Name)]
public sealed class FinetuneOnePathTests(GeneratedCoco coco) : IClassFixture<GeneratedCoco>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task CliAndWorker_GivenTheSameOptions_WriteTheSameRunFolder()
    {
        string store = coco.NewFolder(), work = coco.NewFolder(), cliRun = Path.Combine(coco.NewFolder(), "run");
        const string pretrained = "runs/one/pretrain/checkpoints/step-000001.ckpt";
        string backbone = SaveTrunk(Path.Combine(store, "runs", "one", "pretrain", "checkpoints"));
        var overrides = new Dictionary<string, string>
        {
            ["maxSteps"] = "2", ["imagesPerStep"] = "2", ["lrSteps"] = "[]", ["warmupSteps"] = "1",
            ["trainMinSizes"] = "[64]", ["testMinSize"] = "64", ["maxSize"] = "96",
        };

        var (code, output) = await CliRunner.RunAsync(["finetune", "--detector", "retinanet", "--task", "coco-det", "--backbone", backbone,
                                                       "--train", coco.Root, "--val", coco.Root, "-o", cliRun,
                                                       .. overrides.SelectMany(kv => new[] { "--set", $"{kv.Key}={kv.Value}" })]);
        Assert.True(code == 0, output);

        var options = new StageJobOptions.Finetune(FinetuneDetector.RetinaNet, FinetuneTask.CocoDetection, FinetuneSchedule.OneX, Backbone.ResNet18,
                                                   [pretrained], coco.Root, coco.Root, overrides);
        var job = new JobMessage("one-finetune", "one", StageKind.Finetune, 1, StageJobOptions.ToJson(options),
                                 "runs/one/finetune-retinanet-coco-det-1x/", DateTimeOffset.UtcNow.AddHours(1));
        string jobFile = Path.Combine(work, "job.json");
        await File.WriteAllBytesAsync(jobFile, JobJson.Serialize(job));
        using (var worker = ScrlUnderTest.Start(["worker", "--transport", "memory", "--store", "local:" + store, "--work-dir", work, "--enqueue", jobFile]))
        {
            string result = Path.Combine(store, "runs", "one", "finetune-retinanet-coco-det-1x", "result.json");
            await worker.WaitForAsync(() => File.Exists(result), Timeout);
            Assert.Equal(JobStatus.Succeeded, JobJson.DeserializeOutcome(await File.ReadAllBytesAsync(result)).Status);
        }

        string workerRun = Path.Combine(work, "jobs", job.JobId, "run");
        Assert.Equal(Files(cliRun), Files(workerRun));
        // The store also holds the job's outcome beside the run.
        Assert.Equal(Files(workerRun), Files(Path.Combine(store, "runs", "one", "finetune-retinanet-coco-det-1x")).Where(f => f != "result.json"));
        Assert.Equal(Rows(cliRun), Rows(workerRun));
        Assert.Equal(File.ReadAllText(Path.Combine(cliRun, "evaluation", "summary.txt")), File.ReadAllText(Path.Combine(workerRun, "evaluation", "summary.txt")));
    }

    /// <summary>A random R18 trunk saved as the pretrain stage's checkpoint.</summary>
    private static string SaveTrunk(string folder)
    {
        using var trunk = new ResNetBackbone(ResNetVariant.ResNet18);
        var meta = new CheckpointMeta { Step = 1, Epoch = 0, BatchInEpoch = 0, Method = "Scrl", Backbone = "ResNet18", ConfigHash = "" };
        return new CheckpointStore(folder, keep: 0).Save(trunk.state_dict(), meta);
    }

    /// <summary>Relative paths, TensorBoard event files by folder only (their names carry the host and time), without
    /// the checksum files a local store keeps beside each blob (.name.md5).</summary>
    private static string[] Files(string root) =>
    [
        .. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Select(f => f.StartsWith("tensorboard/", StringComparison.Ordinal) ? "tensorboard/events" : f)
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>Each logged step's losses and learning rate (not its duration).</summary>
    private static string[] Rows(string run) =>
    [
        .. File.ReadLines(Path.Combine(run, "metrics.jsonl")).Select(line =>
            string.Join(" ", JsonDocument.Parse(line).RootElement.GetProperty("scalars").EnumerateObject().Where(p => p.Name != "time").Select(p => $"{p.Name}={p.Value}"))),
    ];
}
