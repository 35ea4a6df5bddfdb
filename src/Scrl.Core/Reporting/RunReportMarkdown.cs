using System.Globalization;
using System.Text;

namespace Scrl.Core.Reporting;

/// <summary>The text of <c>report.md</c>: headline numbers, the charts, and the last value of every scalar.</summary>
internal static class RunReportMarkdown
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Build(MetricsLog log, IReadOnlyList<string> chartFiles, IReadOnlyList<string> pictures)
    {
        var md = new StringBuilder();
        md.Append("# Pretraining report\n\n");
        if (log.IsEmpty)
        {
            md.Append("No metrics were logged yet: `metrics.jsonl` is missing or holds no complete record.\n");
            AppendPictures(md, pictures);
            return md.ToString();
        }

        var steps = log.Series.Values.SelectMany(points => points).Select(p => p.Step).ToList();
        md.Append("| | |\n|---|---|\n");
        md.Append(Invariant, $"| Steps | {steps.Min()} to {steps.Max()} ({log.RecordCount} records) |\n");
        if (log["loss"] is [.., var lastLoss])
            md.Append(Invariant, $"| Final loss | {Format(lastLoss.Value)} (step {lastLoss.Step}) |\n");
        if (Median(log["throughput/pairs_per_s"]) is { } throughput)
            md.Append(Invariant, $"| Median throughput | {Format(throughput)} image pairs/s |\n");
        if (FiniteValues(log["lr"]) is { Count: > 0 } lr)
            md.Append(Invariant, $"| Learning rate | min {Format(lr.Min())}, max {Format(lr.Max())} |\n");
        if (log.SkippedLines > 0)
            md.Append(Invariant, $"| Unreadable lines skipped | {log.SkippedLines} |\n");

        if (chartFiles.Count > 0)
        {
            md.Append("\n## Charts\n\n");
            foreach (string file in chartFiles) md.Append(Invariant, $"![{Path.GetFileNameWithoutExtension(file)}]({file})\n\n");
        }

        AppendPictures(md, pictures);
        md.Append("## Last logged values\n\n| scalar | step | value |\n|---|---:|---:|\n");
        foreach (var (name, points) in log.Series)
            md.Append(Invariant, $"| `{name}` | {points[^1].Step} | {Format(points[^1].Value)} |\n");
        return md.ToString();
    }

    private static void AppendPictures(StringBuilder md, IReadOnlyList<string> pictures)
    {
        if (pictures.Count == 0) return;
        md.Append("\n## Box pairs of the first batch\n\nEach image's two augmented views, each matched box pair in its own colour, as the run drew them.\n\n");
        foreach (string file in pictures) md.Append(Invariant, $"![{Path.GetFileNameWithoutExtension(file)}]({file})\n\n");
    }

    private static List<double> FiniteValues(IReadOnlyList<MetricPoint> points) =>
        [.. points.Select(p => p.Value).Where(double.IsFinite)];

    private static double? Median(IReadOnlyList<MetricPoint> points)
    {
        var values = FiniteValues(points);
        if (values.Count == 0) return null;
        values.Sort();
        int mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    // Four significant digits reads well for losses, learning rates and rates alike; NaN stays visible as "NaN".
    private static string Format(double value) => value.ToString("G4", Invariant);
}
