using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Scrl.Cli.Tests.Support;
using Scrl.Pipeline.Tests.Azurite;

namespace Scrl.Cli.Tests.Emulation;

/// <summary>
/// The cloud pipeline end to end on one machine: HTTP API → durable run orchestration on Azurite → jobs queue →
/// <c>scrl worker</c> processes → Blob artifacts and the outcomes queue → orchestration events → report.
/// </summary>
[Collection(AzuriteCollection.Name)]
[Trait("Category", "Azurite")]
public sealed class EmulateTests(AzuriteFixture azurite, GeneratedCoco data) : IClassFixture<GeneratedCoco>
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Run_ThroughTheApi_RunsEveryStage_WithEveryArtifactInBlob()
    {
        await using var emulator = await EmulatorFixture.StartAsync(azurite.Endpoints, workers: 1);
        string runId = "e2e-" + Guid.NewGuid().ToString("N")[..8];

        using HttpResponseMessage started = await emulator.Http.PostAsync("api/runs", Json(RunSpec(runId, maxSteps: 4, checkpointEvery: 2, evaluate: true)));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        JsonElement accepted = await ReadAsync(started);
        Assert.Equal(runId, accepted.GetProperty("id").GetString());
        Assert.EndsWith($"/api/runs/{runId}", accepted.GetProperty("statusQueryGetUri").GetString());

        JsonElement status = await WaitForEndAsync(emulator, runId);
        Assert.Equal("Completed", status.GetProperty("runtimeStatus").GetString());
        JsonElement report = status.GetProperty("report");
        Assert.Equal(["shard", "pretrain", "roi-eval", "finetune-faster-rcnn-coco-det-1x"],
                     report.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("stage").GetString()));
        string prefix = $"runs/{runId}/pretrain/";
        Assert.Equal("step-000004", await ReadTextAsync(emulator, prefix + "checkpoints/latest"));
        // The worker uploads the newest checkpoint at each sync, so step 2's may have been skipped: only the last is certain.
        foreach (string name in new[] { "checkpoints/step-000004.ckpt", "checkpoints/step-000004.json",
                                        "metrics.jsonl", "config.json", "result.json" })
            Assert.True(await emulator.Host.Store.ExistsAsync(prefix + name), prefix + name);
        Assert.True(await emulator.Host.Store.ExistsAsync($"runs/{runId}/shard/result.json"));
        Assert.Contains(await ListAsync(emulator, "datasets/"), n => n.EndsWith("/shards/index.json", StringComparison.Ordinal));
        foreach (string name in new[] { "roi-eval/pretrained/roi-eval.json", "roi-eval/result.json", "finetune-faster-rcnn-coco-det-1x/checkpoints/latest",
                                        "finetune-faster-rcnn-coco-det-1x/evaluation/detections.json", "finetune-faster-rcnn-coco-det-1x/evaluation/summary.txt" })
            Assert.True(await emulator.Host.Store.ExistsAsync($"runs/{runId}/{name}"), name);
        Assert.True(await emulator.Host.Store.ExistsAsync($"runs/{runId}/report.json"));
        Assert.True(await emulator.Host.Store.ExistsAsync($"runs/{runId}/report.md"));
    }

    [Fact]
    public async Task WorkerKilledMidPretraining_AnotherWorkerResumesFromTheCheckpoint_AndTheRunCompletes()
    {
        await using var emulator = await EmulatorFixture.StartAsync(azurite.Endpoints, workers: 1);
        string runId = "e2e-kill-" + Guid.NewGuid().ToString("N")[..8];
        const int maxSteps = 16;
        using (HttpResponseMessage started = await emulator.Http.PostAsync("api/runs", Json(RunSpec(runId, maxSteps, checkpointEvery: 2))))
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);

        string latest = $"runs/{runId}/pretrain/checkpoints/latest";
        await WaitForAsync(async () => await emulator.Host.Store.ExistsAsync(latest), TimeSpan.FromMinutes(3));
        WorkerProcess first = emulator.Host.Workers[0];
        await first.KillAsync();   // SIGKILL: no checkpoint, no abandon, the claim and message lock just lapse
        long killedAt = Step(await ReadTextAsync(emulator, latest));
        Assert.InRange(killedAt, 2, maxSteps - 1);
        WorkerProcess second = emulator.Host.StartWorker();

        JsonElement status = await WaitForEndAsync(emulator, runId);
        Assert.Equal("Completed", status.GetProperty("runtimeStatus").GetString());
        Assert.Equal($"step-{maxSteps:D6}", await ReadTextAsync(emulator, latest));
        // The second worker started from the store's checkpoint, not from step 0.
        string resumed = second.Output.Split('\n').Single(l => l.Contains("Resuming from", StringComparison.Ordinal));
        Assert.True(Step(resumed[(resumed.IndexOf("step-", StringComparison.Ordinal))..].Trim()) >= killedAt, resumed);
        long[] steps = [.. (await ReadTextAsync(emulator, $"runs/{runId}/pretrain/metrics.jsonl")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("step").GetInt64())];
        Assert.Equal(steps.Order(), steps.Distinct());   // no replayed rows after the resume
        Assert.Equal(maxSteps, steps[^1]);
    }

    [Fact]
    public async Task Api_RejectsBadSpecsWithEveryProblem_UnknownIdsWith404_AndPathLikeIds()
    {
        await using var emulator = await EmulatorFixture.StartAsync(azurite.Endpoints, workers: 0);

        using HttpResponseMessage bad = await emulator.Http.PostAsync("api/runs", Json("""
            {"runId":"Bad_Id","dataset":{"source":""},"preset":"no good!","stages":{"pretrain":{"maxAttempts":0}}}
            """));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        string[] paths = [.. (await ReadAsync(bad)).GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()!)];
        Assert.Contains("$.runId", paths);
        Assert.Contains("$.dataset.source", paths);
        Assert.Contains("$.preset", paths);
        Assert.Contains("$.stages.pretrain.maxAttempts", paths);

        using HttpResponseMessage badSweep = await emulator.Http.PostAsync("api/sweeps", Json("{}"));
        Assert.Equal(HttpStatusCode.BadRequest, badSweep.StatusCode);

        foreach (string path in new[] { "api/runs/run-nobody", "api/sweeps/sweep-nobody" })
        {
            using HttpResponseMessage missing = await emulator.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }
        using (HttpResponseMessage missingCancel = await emulator.Http.PostAsync("api/runs/run-nobody/cancel", null))
            Assert.Equal(HttpStatusCode.NotFound, missingCancel.StatusCode);

        foreach (string id in new[] { "..%2F..%2Fsecrets", "Run-1", "run%2F..", new string('a', 64) })
        {
            using HttpResponseMessage rejected = await emulator.Http.GetAsync($"api/runs/{id}");
            Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
            Assert.Equal("$.id", (await ReadAsync(rejected)).GetProperty("errors")[0].GetProperty("path").GetString());
        }
        // Kestrel refuses a NUL in the path before routing; nothing reaches the API either way.
        using HttpResponseMessage nul = await emulator.Http.GetAsync("api/runs/a%00b");
        Assert.Equal(HttpStatusCode.BadRequest, nul.StatusCode);
    }

    private string RunSpec(string runId, int maxSteps, int checkpointEvery, bool evaluate = false) => $$"""
        {
          "runId": "{{runId}}",
          "dataset": { "source": {{JsonSerializer.Serialize(data.Root)}}, "format": "coco" },
          "backbone": "resnet18",
          "preset": "demo",
          "overrides": {
            "augment.inputSize": "64", "boxes.inputSize": "64", "run.batchSize": "4", "run.epochs": "50",
            "optim.warmupEpochs": "1", "network.hiddenSize": "64", "network.projectionSize": "32", "run.seed": "3",
            "data.decodeWorkers": "1", "run.maxSteps": "{{maxSteps}}", "run.checkpointEverySteps": "{{checkpointEvery}}",
            "run.logEverySteps": "1"
          },
          "roiEval": { "enabled": {{(evaluate ? "true" : "false")}}{{(evaluate ? RoiEvalOverrides : "")}} },
          "finetune": [{{(evaluate ? FinetuneTask : "")}}],
          "stages": {
            "shard": { "timeout": "00:03:00", "maxAttempts": 1 },
            "pretrain": { "timeout": "00:05:00", "maxAttempts": 1 },
            "roiEval": { "timeout": "00:05:00", "maxAttempts": 1 },
            "finetune": { "timeout": "00:05:00", "maxAttempts": 1 }
          }
        }
        """;

    // The generated dataset is a COCO root, so both stages default to its train2017 and val2017 splits.
    private const string RoiEvalOverrides = """, "overrides": { "epochs": "2", "imageSize": "64", "imageBatch": "4" }""";

    private const string FinetuneTask = """
        { "task": "coco-det", "schedule": "1x", "overrides": { "maxSteps": "2", "imagesPerStep": "2", "lrSteps": "[]", "warmupSteps": "1",
          "checkpointPeriod": "1", "trainMinSizes": "[64]", "testMinSize": "64", "maxSize": "96" } }
        """;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task EmulateCommand_PrintsTheConnectionStringWhole_AndStopsOnCtrlC()
    {
        string data = Directory.CreateTempSubdirectory("scrl-emulate-").FullName;
        using var stop = new CancellationTokenSource();
        string storage = azurite.Endpoints.ConnectionString;
        // An 80-column console: the connection string is longer, and must still come out on one line to be copied.
        var (exit, output) = CliRunner.Start(["emulate", "--azurite", storage, "--port", "0", "--workers", "0", "--data", data], width: 80, stop.Token);
        try
        {
            await WaitForAsync(() => Task.FromResult(output.ToString().Contains(storage, StringComparison.Ordinal) || exit.IsCompleted), TimeSpan.FromMinutes(1));
            Assert.False(exit.IsCompleted, output.ToString());
            Assert.Matches(@"API at http://127\.0\.0\.1:\d+/api/runs", output.ToString());
        }
        finally
        {
            await stop.CancelAsync();
            Assert.Equal(0, await exit);
            Directory.Delete(data, recursive: true);
        }
        Assert.Contains("stopping", output.ToString());
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private static async Task<JsonElement> WaitForEndAsync(EmulatorFixture emulator, string runId)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using HttpResponseMessage response = await emulator.Http.GetAsync($"api/runs/{runId}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            JsonElement status = await ReadAsync(response);
            if (status.GetProperty("runtimeStatus").GetString() is "Completed" or "Failed" or "Terminated") return status;
            if (clock.Elapsed > RunTimeout)
                Assert.Fail($"Run {runId} did not end within {RunTimeout}: {status}\n{string.Join("\n", emulator.Host.Workers.Select(w => w.Output))}");
            await Task.Delay(500);
        }
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout) Assert.Fail($"Condition not met within {timeout}.");
            await Task.Delay(200);
        }
    }

    private static async Task<string> ReadTextAsync(EmulatorFixture emulator, string name)
    {
        await using Stream stream = await emulator.Host.Store.OpenReadAsync(name);
        return (await new StreamReader(stream).ReadToEndAsync()).Trim();
    }

    private static async Task<List<string>> ListAsync(EmulatorFixture emulator, string prefix)
    {
        var names = new List<string>();
        await foreach (var artifact in emulator.Host.Store.ListAsync(prefix)) names.Add(artifact.Name);
        return names;
    }

    private static long Step(string checkpoint) => long.Parse(checkpoint.Split('-')[1].Split(' ', '.', ',')[0], System.Globalization.CultureInfo.InvariantCulture);
}
