using System.Text.Json;
using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Reports.Correlation;
using Scrl.Pipeline.Specs;

namespace Scrl.Cli.Analysis;

/// <summary>
/// The protocol top-1s and fine-tuning APs a local run folder holds, as flat run metrics. A pipeline run folder
/// (<c>runs/{runId}/</c> of a local store) is read from its <c>report.json</c>. Otherwise the folder is searched for
/// what the CLI writes: <c>roi-eval.json</c> (<c>scrl roi-eval</c>) as <c>roi-eval.top1</c>, <c>linear-eval.json</c>
/// (<c>scrl linear-eval</c>) as <c>linear-eval.top1</c>, and each <c>scrl finetune</c> folder's scored
/// <c>summary.json</c> as <c>finetune-{detector}-{task}.AP</c> (detector and task from its <c>config.json</c>).
/// Baseline reports (<c>baseline-N/</c>) are not the run's own and are skipped.
/// </summary>
public static class RunFolderScores
{
    public const string RoiEvalFile = "roi-eval.json", LinearEvalFile = "linear-eval.json";

    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">Two reports of one protocol, or a file that is not what its name says.</exception>
    public static RunScores Read(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        string root = Path.GetFullPath(folder);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"Run folder '{folder}' does not exist.");
        string runId = Path.GetFileName(root.TrimEnd(Path.DirectorySeparatorChar));

        string report = Path.Combine(root, "report.json");
        if (File.Exists(report))
        {
            var run = JsonSerializer.Deserialize<RunReport>(File.ReadAllText(report), SpecJson.Options)
                      ?? throw new InvalidDataException($"'{report}' is empty");
            return new RunScores(run.RunId, run.FlatMetrics());
        }

        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        var files = Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar).Any(s => s.StartsWith("baseline-", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal)
            .ToList();
        AddTop1(metrics, files, RoiEvalFile, EvaluationProtocol.RoiLinear.Metric, root);
        AddTop1(metrics, files, LinearEvalFile, EvaluationProtocol.ImageLinear.Metric, root);
        foreach (string summary in files.Where(f => Path.GetFileName(f) == "summary.json"))
            if (FinetuneAp(summary) is var (metric, ap))
            {
                if (!metrics.TryAdd(metric, ap))
                    throw new InvalidDataException($"'{root}' holds two scored {metric[..^3]} runs; pass one fine-tuning folder per run");
            }
        return new RunScores(runId, metrics);
    }

    private static void AddTop1(Dictionary<string, double> metrics, List<string> files, string fileName, string metric, string root)
    {
        var found = files.Where(f => Path.GetFileName(f) == fileName).ToList();
        if (found.Count > 1)
            throw new InvalidDataException($"'{root}' holds {found.Count} {fileName} files ({string.Join(", ", found.Select(f => Path.GetRelativePath(root, f)))}); a run has one per protocol");
        if (found.Count == 0) return;
        using var json = JsonDocument.Parse(File.ReadAllText(found[0]));
        if (!json.RootElement.TryGetProperty("scores", out var scores) || !scores.TryGetProperty("top1", out var top1))
            throw new InvalidDataException($"'{found[0]}' has no scores.top1");
        metrics[metric] = top1.GetDouble();
    }

    /// <returns>The metric name and AP of a scored fine-tuning run folder's summary, or null for any other summary.json.</returns>
    private static (string Metric, double Ap)? FinetuneAp(string summary)
    {
        string config = Path.Combine(Path.GetDirectoryName(summary)!, "config.json");
        if (!File.Exists(config)) return null;
        using var summaryJson = JsonDocument.Parse(File.ReadAllText(summary));
        using var configJson = JsonDocument.Parse(File.ReadAllText(config));
        if (!summaryJson.RootElement.TryGetProperty("scores", out var scores) || scores.ValueKind != JsonValueKind.Object) return null;
        if (!configJson.RootElement.TryGetProperty("detector", out var detector) || !configJson.RootElement.TryGetProperty("task", out var task)) return null;
        // The fine-tuning job writes camelCase, which turns AP into "ap".
        var ap = scores.EnumerateObject().FirstOrDefault(p => p.Name.Equals("AP", StringComparison.OrdinalIgnoreCase));
        if (ap.Value.ValueKind != JsonValueKind.Number) return null;
        return ($"finetune-{detector.GetString()}-{task.GetString()}.AP", ap.Value.GetDouble());
    }
}
