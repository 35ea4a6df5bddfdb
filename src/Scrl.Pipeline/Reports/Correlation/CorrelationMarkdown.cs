using System.Globalization;
using System.Text;

namespace Scrl.Pipeline.Reports.Correlation;

/// <summary>Renders a <see cref="CorrelationAnalysis"/> as a Markdown section: one row per protocol, then each run's points.</summary>
public static class CorrelationMarkdown
{
    /// <param name="heading">Markdown heading prefix, e.g. <c>##</c> inside a leaderboard.</param>
    public static string Render(CorrelationAnalysis analysis, string? plotFileName = "correlation.png", string heading = "#")
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"{heading} Protocol correlation with `{analysis.Downstream}`\n\n");
        if (plotFileName is not null) md.Append(CultureInfo.InvariantCulture, $"![top-1 vs {analysis.Downstream}]({plotFileName})\n\n");
        md.Append("| Protocol | Runs | Pearson r | Bootstrap CI | Slope (AP per unit top-1) | Intercept |\n|---|---:|---:|---|---:|---:|\n");
        foreach (var p in analysis.Protocols)
        {
            string ci = p.Interval is { } i
                ? FormattableString.Invariant($"[{Markdown.Number(i.Low)}, {Markdown.Number(i.High)}] ({i.Confidence:P0}, {i.Resamples} draws, seed {i.Seed})")
                : "–";
            string r = p.PearsonR is { } value ? Markdown.Number(value) : "n/a";
            string slope = p.Fit is { } f ? Markdown.Number(f.Slope) : "–", intercept = p.Fit is { } g ? Markdown.Number(g.Intercept) : "–";
            md.Append(CultureInfo.InvariantCulture, $"| {p.Protocol.Name} | {p.Points.Count} | {r} | {ci} | {slope} | {intercept} |\n");
        }
        foreach (string note in analysis.Notes) md.Append(CultureInfo.InvariantCulture, $"\n{Markdown.Escape(note)}\n");

        md.Append("\n| Run | Protocol | Top-1 | AP |\n|---|---|---:|---:|\n");
        foreach (var p in analysis.Protocols)
            foreach (var point in p.Points)
                md.Append(CultureInfo.InvariantCulture,
                    $"| {Markdown.Escape(point.RunId)} | {p.Protocol.Name} | {Markdown.Number(point.Top1)} | {Markdown.Number(point.DownstreamAp)} |\n");
        return md.ToString();
    }
}
