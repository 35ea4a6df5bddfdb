using System.Globalization;
using Scrl.Core.IO;
using Scrl.Charts;
using SkiaSharp;

namespace Scrl.Core.Reporting;

/// <summary>
/// A vertical bar chart on a fixed [0, <see cref="YMax"/>] axis, drawn with SkiaSharp: title, y grid at fifths,
/// one labelled bar per value with the value printed above it. A missing value (null) is labelled "n/a".
/// </summary>
public sealed class BarChart
{
    private static readonly SKColor Bar = new(0x1f, 0x77, 0xb4);   // tab10 blue, as LinePlot's first series
    private static readonly SKColor Ink = new(0x22, 0x22, 0x22);
    private static readonly SKColor GridColour = new(0xe3, 0xe3, 0xe3);
    private const float TitleSize = 18, LabelSize = 13, Gap = 8;

    public BarChart(string title, IEnumerable<(string Label, double? Value)> bars)
    {
        ArgumentNullException.ThrowIfNull(bars);
        Title = title ?? "";
        Bars = [.. bars];
    }

    public string Title { get; }

    public IReadOnlyList<(string Label, double? Value)> Bars { get; }

    /// <summary>Top of the value axis (default 1, for accuracies).</summary>
    public double YMax { get; init; } = 1.0;

    public int Width { get; init; } = 640;

    public int Height { get; init; } = 400;

    public byte[] RenderPng()
    {
        if (!(YMax > 0)) throw new ArgumentOutOfRangeException(nameof(YMax), YMax, "must be > 0");
        return PngCanvas.Render(Width, Height, Draw);
    }

    public void SavePng(string path) => AtomicFile.WriteAllBytes(path, RenderPng());

    private void Draw(SKCanvas canvas)
    {
        using var titleFont = new SKFont(ChartTypeface.Regular, TitleSize);
        using var font = new SKFont(ChartTypeface.Regular, LabelSize);
        using var text = new SKPaint { IsAntialias = true, Color = Ink };
        using var grid = new SKPaint { Color = GridColour, StrokeWidth = 1, Style = SKPaintStyle.Stroke };
        using var fill = new SKPaint { IsAntialias = true, Color = Bar, Style = SKPaintStyle.Fill };

        var area = new SKRect(56, TitleSize + 3 * Gap, Width - 2 * Gap, Height - LabelSize - 3 * Gap);
        canvas.DrawText(Title, (Width - TextWidth(titleFont, Title)) / 2, TitleSize + Gap, titleFont, text);
        for (int i = 0; i <= 5; i++)
        {
            double value = YMax * i / 5;
            float y = area.Bottom - area.Height * i / 5;
            canvas.DrawLine(area.Left, y, area.Right, y, grid);
            string label = value.ToString("0.##", CultureInfo.InvariantCulture);
            canvas.DrawText(label, area.Left - Gap - TextWidth(font, label), y + LabelSize / 3, font, text);
        }
        if (Bars.Count == 0) return;

        float slot = area.Width / Bars.Count;
        for (int i = 0; i < Bars.Count; i++)
        {
            var (label, value) = Bars[i];
            float centre = area.Left + slot * (i + 0.5f);
            string caption = value is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";
            float top = area.Bottom;
            if (value is { } shown)
            {
                top = area.Bottom - area.Height * (float)Math.Clamp(shown / YMax, 0, 1);
                canvas.DrawRect(new SKRect(centre - slot * 0.3f, top, centre + slot * 0.3f, area.Bottom), fill);
            }
            canvas.DrawText(caption, centre - TextWidth(font, caption) / 2, top - Gap / 2, font, text);
            canvas.DrawText(label, centre - TextWidth(font, label) / 2, area.Bottom + LabelSize + Gap, font, text);
        }
    }

    private static float TextWidth(SKFont font, string label)
    {
        var glyphs = new ushort[font.CountGlyphs(label)];
        font.GetGlyphs(label, glyphs);
        return font.MeasureText(glyphs);
    }
}
