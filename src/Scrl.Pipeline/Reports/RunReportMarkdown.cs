using System.Globalization;
using System.Text;
using Scrl.Pipeline.Orchestration;

namespace Scrl.Pipeline.Reports;

/// <summary>Renders a <see cref="RunReport"/> as <c>report.md</c>: the end state, one table row per stage, then
/// each stage's metrics and artifacts.</summary>
public static class RunReportMarkdown
{
    public static string Render(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Run {report.RunId}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"**{report.Status}**");
        if (report.Reason is not null) md.Append(CultureInfo.InvariantCulture, $": {Markdown.Escape(report.Reason)}");
        md.Append(CultureInfo.InvariantCulture,
            $"\n\nStarted {report.StartedUtc:yyyy-MM-dd HH:mm:ss} UTC, took {Markdown.Duration(report.FinishedUtc - report.StartedUtc)}.\n\n");

        md.Append("| Stage | Status | Attempts | Note |\n|---|---|---:|---|\n");
        foreach (StageResult stage in report.Stages)
        {
            string note = stage.Reason ?? (stage.RescuedFromManifest ? "outcome read from result.json (callback lost)" : "");
            md.Append(CultureInfo.InvariantCulture, $"| {stage.Stage} | {stage.Status} | {stage.Attempts} | {Markdown.Escape(note)} |\n");
        }

        foreach (StageResult stage in report.Stages.Where(s => s.Metrics.Count > 0 || s.Artifacts.Count > 0))
        {
            md.Append(CultureInfo.InvariantCulture, $"\n## {stage.Stage}\n\n");
            if (stage.Metrics.Count > 0)
            {
                md.Append("| Metric | Value |\n|---|---:|\n");
                foreach ((string name, double value) in stage.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
                    md.Append(CultureInfo.InvariantCulture, $"| {name} | {Markdown.Number(value)} |\n");
                md.Append('\n');
            }
            foreach (string artifact in stage.Artifacts)
                md.Append(CultureInfo.InvariantCulture, $"- `{artifact}`\n");
        }
        return md.ToString();
    }
}
