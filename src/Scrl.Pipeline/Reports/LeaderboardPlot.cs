using Scrl.Charts;
using SkiaSharp;

namespace Scrl.Pipeline.Reports;

/// <summary>
/// Draws a <see cref="Leaderboard"/> as a PNG: one horizontal bar per ranked run, best at the top and highlighted,
/// labelled with its grid values and its score. Runs without a score are left out (the table lists them).
/// </summary>
/// <remarks>PNG through SkiaSharp, the library Scrl.Core's report plots already use, so reports look alike and no new
/// native dependency enters the solution; it is pure drawing code, with no TorchSharp.</remarks>
public static class LeaderboardPlot
{
    private static readonly SKColor Best = new(0x2c, 0xa0, 0x2c);
    private static readonly SKColor Other = new(0x1f, 0x77, 0xb4);
    private static readonly SKColor Ink = new(0x22, 0x22, 0x22);
    private const int Width = 900, BarHeight = 26, BarGap = 10, Top = 56, Bottom = 24, Margin = 12;
    private const float TitleSize = 18, TextSize = 13;

    public static byte[] RenderPng(Leaderboard board)
    {
        ArgumentNullException.ThrowIfNull(board);
        LeaderboardRow[] ranked = [.. board.Rows.Where(r => r.Score is not null)];
        int height = Top + Math.Max(1, ranked.Length) * (BarHeight + BarGap) + Bottom;
        return PngCanvas.Render(Width, height, canvas => Draw(canvas, board, ranked));
    }

    private static void Draw(SKCanvas canvas, Leaderboard board, LeaderboardRow[] ranked)
    {
        using var titleFont = new SKFont(ChartTypeface.Regular, TitleSize);
        using var font = new SKFont(ChartTypeface.Regular, TextSize);
        using var ink = new SKPaint { IsAntialias = true, Color = Ink };
        string goal = board.Objective.Goal.ToString().ToLowerInvariant();
        canvas.DrawText($"Sweep {board.SweepId}: {board.Objective.Metric} ({goal})", Margin, Margin + TitleSize, titleFont, ink);
        if (ranked.Length == 0)
        {
            canvas.DrawText("No run reported the objective metric.", Margin, Top + TextSize, font, ink);
            return;
        }

        string[] labels = [.. ranked.Select(r => $"{r.Rank}. {Label(board, r)}")];
        float labelWidth = Math.Min(Width / 2f, labels.Max(l => TextWidth(font, l)) + Margin);
        float valueWidth = ranked.Max(r => TextWidth(font, Markdown.Number(r.Score!.Value))) + Margin;
        float left = Margin + labelWidth, right = Width - Margin - valueWidth;
        double low = Math.Min(0, ranked.Min(r => r.Score!.Value)), high = Math.Max(0, ranked.Max(r => r.Score!.Value));
        double span = high > low ? high - low : 1;
        float X(double v) => left + (float)((v - low) / span) * (right - left);

        using var bar = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
        using var axis = new SKPaint { IsAntialias = true, Color = Ink, StrokeWidth = 1 };
        for (int i = 0; i < ranked.Length; i++)
        {
            float y = Top + i * (BarHeight + BarGap);
            double score = ranked[i].Score!.Value;
            bar.Color = i == 0 ? Best : Other;
            canvas.DrawRect(SKRect.Create(Math.Min(X(0), X(score)), y, Math.Abs(X(score) - X(0)), BarHeight), bar);
            float baseline = y + BarHeight / 2f + TextSize / 3f;
            canvas.DrawText(labels[i], Margin, baseline, font, ink);
            canvas.DrawText(Markdown.Number(score), Math.Max(X(0), X(score)) + 4, baseline, font, ink);
        }
        canvas.DrawLine(X(0), Top - 4, X(0), Top + ranked.Length * (BarHeight + BarGap) - BarGap + 4, axis);
    }

    // SkiaSharp 2.88 measures glyphs, not strings.
    private static float TextWidth(SKFont font, string text)
    {
        var glyphs = new ushort[font.CountGlyphs(text)];
        font.GetGlyphs(text, glyphs);
        return font.MeasureText(glyphs);
    }

    private static string Label(Leaderboard board, LeaderboardRow row) =>
        board.ParameterKeys.Count == 0
            ? row.RunId
            : string.Join(", ", board.ParameterKeys.Select(k => $"{k[(k.LastIndexOf('.') + 1)..]}={row.Parameters.GetValueOrDefault(k, "")}"));
}
