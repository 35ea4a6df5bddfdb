using Scrl.Core.IO;
using Scrl.Charts;
using SkiaSharp;

namespace Scrl.Core.Reporting;

/// <summary>
/// A line chart of one or more series, drawn with SkiaSharp: title, axes with 1-2-5 ticks and labels, grid, and a
/// legend when there is more than one series. Missing values break a line; a point with no neighbour is a dot.
/// </summary>
public sealed class LinePlot
{
    // matplotlib's tab10, so the charts look familiar next to TensorBoard and the Python reference's plots.
    private static readonly SKColor[] Palette =
    [
        new(0x1f, 0x77, 0xb4), new(0xff, 0x7f, 0x0e), new(0x2c, 0xa0, 0x2c), new(0xd6, 0x27, 0x28), new(0x94, 0x67, 0xbd),
        new(0x8c, 0x56, 0x4b), new(0xe3, 0x77, 0xc2), new(0x7f, 0x7f, 0x7f), new(0xbc, 0xbd, 0x22), new(0x17, 0xbe, 0xcf),
    ];

    private static readonly SKColor Ink = new(0x22, 0x22, 0x22);
    private static readonly SKColor GridColour = new(0xe3, 0xe3, 0xe3);
    private const float TitleSize = 18, LabelSize = 14, TickSize = 12, Gap = 6;

    public LinePlot(string title, IEnumerable<PlotSeries> series)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(series);
        Title = title;
        Series = [.. series];
    }

    public string Title { get; }

    public IReadOnlyList<PlotSeries> Series { get; }

    public string XLabel { get; init; } = "";

    public string YLabel { get; init; } = "";

    /// <summary>Log-scale Y; non-positive values are left out like NaN.</summary>
    public bool LogY { get; init; }

    public int Width { get; init; } = 800;

    public int Height { get; init; } = 480;

    /// <summary>Renders the chart as PNG bytes.</summary>
    public byte[] RenderPng()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Width, 200);
        ArgumentOutOfRangeException.ThrowIfLessThan(Height, 150);
        return PngCanvas.Render(Width, Height, Draw);
    }

    /// <summary>Renders the chart and writes it to <paramref name="path"/> atomically.</summary>
    public void SavePng(string path) => AtomicFile.WriteAllBytes(path, RenderPng());

    private void Draw(SKCanvas canvas)
    {
        using var titleFont = new SKFont(ChartTypeface.Regular, TitleSize);
        using var labelFont = new SKFont(ChartTypeface.Regular, LabelSize);
        using var tickFont = new SKFont(ChartTypeface.Regular, TickSize);
        using var text = new SKPaint { IsAntialias = true, Color = Ink };

        var (xTicks, yTicks) = Ticks();
        float yTickWidth = yTicks.Labels.Max(label => TextWidth(tickFont, label));
        float left = (YLabel.Length > 0 ? LabelSize + 2 * Gap : Gap) + yTickWidth + Gap;
        float top = TitleSize + 3 * Gap;
        float bottom = Height - (TickSize + (XLabel.Length > 0 ? LabelSize + 2 * Gap : 0) + 3 * Gap);
        var area = new SKRect(left, top, Width - 3 * Gap, bottom);

        DrawCentred(canvas, Title, Width / 2f, TitleSize + Gap, titleFont, text);
        DrawGridAndTicks(canvas, area, xTicks, yTicks, tickFont, text);
        if (XLabel.Length > 0) DrawCentred(canvas, XLabel, area.MidX, Height - Gap - 2, labelFont, text);
        if (YLabel.Length > 0)
        {
            canvas.Save();
            canvas.RotateDegrees(-90, LabelSize + Gap, area.MidY);
            DrawCentred(canvas, YLabel, LabelSize + Gap, area.MidY, labelFont, text);
            canvas.Restore();
        }

        canvas.Save();
        // Axis ends are tick values, so data often lies on the frame; a little slack keeps end dots whole.
        canvas.ClipRect(SKRect.Inflate(area, 4, 4));
        for (int i = 0; i < Series.Count; i++) DrawSeries(canvas, area, Series[i], Palette[i % Palette.Length], xTicks, yTicks);
        canvas.Restore();

        if (!Series.Any(s => s.Points.Any(IsDrawable)))
            DrawCentred(canvas, "no data", area.MidX, area.MidY, labelFont, text);
        else if (Series.Count > 1)
            DrawLegend(canvas, area, tickFont, text);
    }

    private (AxisTicks X, AxisTicks Y) Ticks()
    {
        var drawable = Series.SelectMany(s => s.Points).Where(IsDrawable).ToList();
        if (drawable.Count == 0) return (AxisTicks.Linear(0, 1), LogY ? AxisTicks.Log(0.1, 1) : AxisTicks.Linear(0, 1));
        var x = AxisTicks.Linear(drawable.Min(p => p.X), drawable.Max(p => p.X));
        double yMin = drawable.Min(p => p.Y), yMax = drawable.Max(p => p.Y);
        return (x, LogY ? AxisTicks.Log(yMin, yMax) : AxisTicks.Linear(yMin, yMax));
    }

    private void DrawGridAndTicks(SKCanvas canvas, SKRect area, AxisTicks xTicks, AxisTicks yTicks, SKFont tickFont, SKPaint text)
    {
        using var grid = new SKPaint { Color = GridColour, StrokeWidth = 1, Style = SKPaintStyle.Stroke };
        float capHeight = CapHeight(tickFont);
        for (int i = 0; i < xTicks.Values.Count; i++)
        {
            float x = MapX(xTicks.Values[i], area, xTicks);
            canvas.DrawLine(x, area.Top, x, area.Bottom, grid);
            DrawCentred(canvas, xTicks.Labels[i], x, area.Bottom + Gap + capHeight, tickFont, text);
        }
        for (int i = 0; i < yTicks.Values.Count; i++)
        {
            float y = MapY(yTicks.Values[i], area, yTicks);
            canvas.DrawLine(area.Left, y, area.Right, y, grid);
            string label = yTicks.Labels[i];
            canvas.DrawText(label, area.Left - Gap - TextWidth(tickFont, label), y + capHeight / 2, tickFont, text);
        }
        using var frame = new SKPaint { Color = Ink, StrokeWidth = 1, Style = SKPaintStyle.Stroke };
        canvas.DrawRect(area, frame);
    }

    private void DrawSeries(SKCanvas canvas, SKRect area, PlotSeries series, SKColor colour, AxisTicks xTicks, AxisTicks yTicks)
    {
        using var line = new SKPaint { IsAntialias = true, Color = colour, StrokeWidth = 2, Style = SKPaintStyle.Stroke, StrokeJoin = SKStrokeJoin.Round };
        using var dot = new SKPaint { IsAntialias = true, Color = colour, Style = SKPaintStyle.Fill };
        using var path = new SKPath();
        var points = series.Points;
        for (int i = 0; i < points.Count; i++)
        {
            if (!IsDrawable(points[i])) continue;
            var at = new SKPoint(MapX(points[i].X, area, xTicks), MapY(points[i].Y, area, yTicks));
            bool joinsPrevious = i > 0 && IsDrawable(points[i - 1]);
            bool joinsNext = i + 1 < points.Count && IsDrawable(points[i + 1]);
            if (!joinsPrevious && !joinsNext) canvas.DrawCircle(at, 3, dot);   // isolated by gaps: a line would be invisible
            else if (joinsPrevious) path.LineTo(at);
            else path.MoveTo(at);
        }
        canvas.DrawPath(path, line);
    }

    private void DrawLegend(SKCanvas canvas, SKRect area, SKFont font, SKPaint text)
    {
        const float swatch = 20;
        float rowHeight = font.Size + Gap;
        float width = swatch + 3 * Gap + Series.Max(s => TextWidth(font, s.Label));
        var box = new SKRect(area.Right - width - Gap, area.Top + Gap, area.Right - Gap, area.Top + Gap + Series.Count * rowHeight + Gap);
        using (var fill = new SKPaint { Color = SKColors.White.WithAlpha(225), Style = SKPaintStyle.Fill })
            canvas.DrawRect(box, fill);
        using (var border = new SKPaint { Color = GridColour.WithAlpha(255), Style = SKPaintStyle.Stroke, StrokeWidth = 1 })
            canvas.DrawRect(box, border);

        float capHeight = CapHeight(font);
        for (int i = 0; i < Series.Count; i++)
        {
            float midY = box.Top + Gap + i * rowHeight + rowHeight / 2 - Gap / 2;
            using var line = new SKPaint { IsAntialias = true, Color = Palette[i % Palette.Length], StrokeWidth = 2 };
            canvas.DrawLine(box.Left + Gap, midY, box.Left + Gap + swatch, midY, line);
            canvas.DrawText(Series[i].Label, box.Left + 2 * Gap + swatch, midY + capHeight / 2, font, text);
        }
    }

    private bool IsDrawable((double X, double Y) point) =>
        double.IsFinite(point.X) && double.IsFinite(point.Y) && (!LogY || point.Y > 0);

    private static float MapX(double x, SKRect area, AxisTicks ticks) =>
        area.Left + (float)((x - ticks.Min) / (ticks.Max - ticks.Min)) * area.Width;

    private float MapY(double y, SKRect area, AxisTicks ticks)
    {
        double fraction = LogY
            ? (Math.Log10(y) - Math.Log10(ticks.Min)) / (Math.Log10(ticks.Max) - Math.Log10(ticks.Min))
            : (y - ticks.Min) / (ticks.Max - ticks.Min);
        return area.Bottom - (float)fraction * area.Height;
    }

    private static void DrawCentred(SKCanvas canvas, string label, float centreX, float baseline, SKFont font, SKPaint paint) =>
        canvas.DrawText(label, centreX - TextWidth(font, label) / 2, baseline, font, paint);

    private static float TextWidth(SKFont font, string label)
    {
        var glyphs = new ushort[font.CountGlyphs(label)];
        font.GetGlyphs(label, glyphs);
        return font.MeasureText(glyphs);
    }

    // Some fonts report no cap height; 0.7 em is close for Latin sans faces.
    private static float CapHeight(SKFont font) => font.Metrics.CapHeight > 0 ? font.Metrics.CapHeight : font.Size * 0.7f;
}
