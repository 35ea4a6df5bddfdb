using System.Text.Json;
using System.Text.Json.Nodes;
using Scrl.Cli.Tests.Support;
using SkiaSharp;

namespace Scrl.Cli.Tests.Commands;

public sealed class AnalyzeCorrelationCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "scrl-correlation-" + Guid.NewGuid().ToString("N"))).FullName;

    [Fact]
    public async Task Correlation_RunFoldersOfTheFixture_GivesScipysRAndFitAndWritesItsPng()
    {
        string[] runs = WriteFixtureRunFolders();
        string output = Path.Combine(_folder, "out");

        var (code, text) = await CliRunner.RunAsync(["analyze", "correlation", .. runs, "--seed", "3", "-o", output]);

        Assert.True(code == 0, text);
        using var expected = JsonDocument.Parse(File.ReadAllText(Golden("expected.json")));
        using var written = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "correlation.json")));
        Assert.Equal("finetune-faster-rcnn-coco-det.AP", written.RootElement.GetProperty("downstream").GetString());
        var protocols = written.RootElement.GetProperty("protocols").EnumerateArray().ToList();
        Assert.Equal(2, protocols.Count);
        foreach (var (protocol, metric) in protocols.Zip(new[] { "roi-eval.top1", "linear-eval.top1" }))
        {
            var scipy = expected.RootElement.GetProperty("protocols").GetProperty(metric);
            Assert.Equal(scipy.GetProperty("r").GetDouble(), protocol.GetProperty("pearsonR").GetDouble(), 1e-12);
            Assert.Equal(scipy.GetProperty("slope").GetDouble(), protocol.GetProperty("fit").GetProperty("slope").GetDouble(), 1e-9);
            Assert.Equal(scipy.GetProperty("intercept").GetDouble(), protocol.GetProperty("fit").GetProperty("intercept").GetDouble(), 1e-9);
            Assert.Equal(3, protocol.GetProperty("interval").GetProperty("seed").GetInt32());
        }
        Assert.Contains("RoI linear", text);
        using var png = SKBitmap.Decode(Path.Combine(output, "correlation.png"));
        Assert.Equal((820, 560), (png.Width, png.Height));
        Assert.Contains("| RoI linear | 6 | 0.9969 |", File.ReadAllText(Path.Combine(output, "correlation.md")));
    }

    [Fact]
    public async Task Correlation_NameThatIsNoFolder_WithoutStore_SaysToPassStore()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => CliRunner.RunAsync("analyze", "correlation", "sweep-123"));
        Assert.Contains("--store", error.Message);
    }

    [Fact]
    public async Task Correlation_SweepInALocalStore_ReadsItsRunReports()
    {
        string store = Path.Combine(_folder, "store");
        var runs = FixtureRuns();
        Write(Path.Combine(store, "sweeps", "sw", "leaderboard.json"), new JsonObject
        {
            ["sweepId"] = "sw",
            ["objective"] = new JsonObject { ["metric"] = "pretrain.finalLoss", ["goal"] = "minimize" },
            ["parameterKeys"] = new JsonArray(),
            ["rows"] = new JsonArray([.. runs.Select(r => (JsonNode)new JsonObject
            {
                ["rank"] = null, ["runId"] = r.RunId, ["parameters"] = new JsonObject(), ["status"] = "Succeeded", ["score"] = null, ["reason"] = null,
            })]),
        });
        foreach (var run in runs)
        {
            JsonObject Stage(string name, string kind, string metric, double value) => new()
            {
                ["stage"] = name, ["kind"] = kind, ["status"] = "Succeeded", ["attempts"] = 1, ["reason"] = null,
                ["metrics"] = new JsonObject { [metric] = value }, ["artifacts"] = new JsonArray(), ["rescuedFromManifest"] = false,
            };
            Write(Path.Combine(store, "runs", run.RunId, "report.json"), new JsonObject
            {
                ["runId"] = run.RunId, ["status"] = "Succeeded", ["reason"] = null,
                ["startedUtc"] = "2025-01-01T00:00:00Z", ["finishedUtc"] = "2025-01-01T01:00:00Z",
                ["stages"] = new JsonArray(
                    Stage("roi-eval", "RoiEval", "top1", run.RoiTop1),
                    Stage("finetune-faster-rcnn-coco-det-1x", "Finetune", "AP", run.Ap)),
            });
        }
        string output = Path.Combine(_folder, "sweep-out");

        var (code, text) = await CliRunner.RunAsync("analyze", "correlation", "sw", "--store", store, "-o", output);

        Assert.True(code == 0, text);
        using var written = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "correlation.json")));
        var protocol = Assert.Single(written.RootElement.GetProperty("protocols").EnumerateArray());
        using var expected = JsonDocument.Parse(File.ReadAllText(Golden("expected.json")));
        Assert.Equal(expected.RootElement.GetProperty("protocols").GetProperty("roi-eval.top1").GetProperty("r").GetDouble(),
                     protocol.GetProperty("pearsonR").GetDouble(), 1e-12);
        Assert.Contains("image linear: 0 of 6 runs", text);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private sealed record FixtureRun(string RunId, double RoiTop1, double LinearTop1, double Ap);

    private static List<FixtureRun> FixtureRuns()
    {
        using var points = JsonDocument.Parse(File.ReadAllText(Golden("points.json")));
        string downstream = points.RootElement.GetProperty("downstream").GetString()!;
        return [.. points.RootElement.GetProperty("runs").EnumerateArray().Select(r => new FixtureRun(
            r.GetProperty("runId").GetString()!, r.GetProperty("roi-eval.top1").GetDouble(),
            r.GetProperty("linear-eval.top1").GetDouble(), r.GetProperty(downstream).GetDouble()))];
    }

    /// <summary>One folder per fixture run, laid out as scrl roi-eval, scrl linear-eval and scrl finetune write them
    /// (a baseline report that must be ignored included).</summary>
    private string[] WriteFixtureRunFolders() => [.. FixtureRuns().Select(run =>
    {
        string root = Path.Combine(_folder, run.RunId);
        Write(Path.Combine(root, "roi-eval", "roi-eval.json"), new JsonObject { ["scores"] = new JsonObject { ["top1"] = run.RoiTop1 } });
        Write(Path.Combine(root, "roi-eval", "baseline-1", "roi-eval.json"), new JsonObject { ["scores"] = new JsonObject { ["top1"] = 0.01 } });
        Write(Path.Combine(root, "linear-eval", "linear-eval.json"), new JsonObject { ["scores"] = new JsonObject { ["top1"] = run.LinearTop1 } });
        Write(Path.Combine(root, "finetune", "config.json"), new JsonObject { ["detector"] = "faster-rcnn", ["task"] = "coco-det" });
        Write(Path.Combine(root, "finetune", "summary.json"), new JsonObject
        {
            ["detector"] = "faster-rcnn", ["scores"] = new JsonObject { ["ap"] = run.Ap, ["ap50"] = run.Ap + 20 },
        });
        return root;
    })];

    private static void Write(string path, JsonNode json)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json.ToJsonString());
    }

    private static string Golden(string name) => Path.Combine(AppContext.BaseDirectory, "golden", "correlation", name);
}
