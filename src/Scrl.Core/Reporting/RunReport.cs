using System.Text;
using Scrl.Core.IO;
using Scrl.Core.Training;

namespace Scrl.Core.Reporting;

/// <summary>
/// Turns a run's <c>metrics.jsonl</c> into charts and a markdown summary in the run's <c>report/</c> folder, so a
/// finished (or crashed, or still running) pretraining run can be judged without TensorBoard.
/// </summary>
public static class RunReport
{
    /// <summary>The summary's file name inside <see cref="RunLayout.Report"/>.</summary>
    public const string MarkdownFile = "report.md";

    /// <summary>Each chart: its file, title, Y label and the scalars it draws. A chart none of whose scalars were logged is skipped.</summary>
    internal static readonly IReadOnlyList<ChartSpec> Charts =
    [
        new("loss.png", "Loss", "loss", ["loss", "loss/regression"]),
        new("lr.png", "Learning rate", "lr", ["lr"]),
        new("ema_momentum.png", "Target EMA momentum", "momentum", ["ema_momentum"]),
        new("throughput.png", "Throughput", "image pairs / s", ["throughput/pairs_per_s"]),
    ];

    /// <summary>
    /// Reads <see cref="RunLayout.Metrics"/> and writes the charts and <see cref="MarkdownFile"/> into
    /// <see cref="RunLayout.Report"/> (created if needed), each atomically. With no metrics it writes only a
    /// markdown file that says so.
    /// </summary>
    /// <param name="pictures">Pictures already in <see cref="RunLayout.Report"/> for the markdown to show (e.g.
    /// <see cref="BoxPairReport"/>'s), by file name.</param>
    /// <returns>The paths written, the markdown last.</returns>
    public static IReadOnlyList<string> Write(RunLayout layout, IReadOnlyList<string>? pictures = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        Directory.CreateDirectory(layout.Report);
        var log = MetricsLog.Read(layout.Metrics);

        var written = new List<string>();
        var chartFiles = new List<string>();
        foreach (var chart in Charts)
        {
            var series = chart.Scalars.Where(name => log[name].Count > 0).Select(name => PlotSeries.FromMetric(name, log[name])).ToList();
            if (series.Count == 0) continue;
            string path = Path.Combine(layout.Report, chart.File);
            new LinePlot(chart.Title, series) { XLabel = "step", YLabel = chart.YLabel }.SavePng(path);
            written.Add(path);
            chartFiles.Add(chart.File);
        }

        string markdownPath = Path.Combine(layout.Report, MarkdownFile);
        string markdown = RunReportMarkdown.Build(log, chartFiles, pictures ?? []);
        AtomicFile.WriteAllBytes(markdownPath, new UTF8Encoding(false).GetBytes(markdown));
        written.Add(markdownPath);
        return written;
    }

    internal sealed record ChartSpec(string File, string Title, string YLabel, IReadOnlyList<string> Scalars);
}
