using System.Globalization;

namespace Scrl.Pipeline.Reports;

/// <summary>Formatting shared by the Markdown reports.</summary>
internal static class Markdown
{
    /// <summary>Keeps free text (failure reasons) from breaking a table row.</summary>
    public static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    /// <summary>Four significant digits: enough to rank runs, short enough to read.</summary>
    public static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan span) =>
        span.TotalHours >= 1
            ? $"{(int)span.TotalHours}h {span.Minutes:D2}m"
            : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes}m {span.Seconds:D2}s" : $"{span.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)}s";
}
