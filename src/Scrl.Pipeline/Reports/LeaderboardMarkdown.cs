using System.Globalization;
using System.Text;

namespace Scrl.Pipeline.Reports;

/// <summary>Renders a <see cref="Leaderboard"/> as <c>leaderboard.md</c>: one row per run, best first, one column per
/// grid key, with the plot embedded above the table.</summary>
public static class LeaderboardMarkdown
{
    public static string Render(Leaderboard board, string? plotFileName = "leaderboard.png")
    {
        ArgumentNullException.ThrowIfNull(board);
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Sweep {board.SweepId}\n\n");
        md.Append(CultureInfo.InvariantCulture,
            $"Ranked by `{board.Objective.Metric}` ({board.Objective.Goal.ToString().ToLowerInvariant()}), {board.Rows.Count} runs.\n\n");
        if (plotFileName is not null) md.Append(CultureInfo.InvariantCulture, $"![{board.Objective.Metric} per run]({plotFileName})\n\n");

        md.Append("| Rank | Run |");
        foreach (string key in board.ParameterKeys) md.Append(CultureInfo.InvariantCulture, $" {key} |");
        md.Append(CultureInfo.InvariantCulture, $" {board.Objective.Metric} | Status | Note |\n|---:|---|");
        foreach (string _ in board.ParameterKeys) md.Append("---|");
        md.Append("---:|---|---|\n");

        foreach (LeaderboardRow row in board.Rows)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {row.Rank?.ToString(CultureInfo.InvariantCulture) ?? "–"} | {row.RunId} |");
            foreach (string key in board.ParameterKeys)
                md.Append(CultureInfo.InvariantCulture, $" {Markdown.Escape(row.Parameters.GetValueOrDefault(key, ""))} |");
            string score = row.Score is { } s ? Markdown.Number(s) : "–";
            md.Append(CultureInfo.InvariantCulture, $" {score} | {row.Status} | {Markdown.Escape(row.Reason ?? "")} |\n");
        }
        return md.ToString();
    }
}
