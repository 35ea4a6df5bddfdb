using System.Globalization;
using Scrl.Charts;
using SkiaSharp;

namespace Scrl.Pipeline.Reports.Correlation;

/// <summary>
/// Draws a <see cref="CorrelationAnalysis"/> as SCRL's Figure A1: protocol top-1 (%) on x, downstream AP on y, one
/// colour per protocol with its points, least-squares line and shaded confidence band, and r with its bootstrap
/// interval in the legend.
/// </summary>
public static class CorrelationPlot
{
    private static readonly SKColor[] Palette = [new(0x1f, 0x77, 0xb4), new(0xd6, 0x27, 0x28), new(0x2c, 0xa0, 0x2c), new(0xff, 0x7f, 0x0e)];
    private static readonly SKColor Ink = new(0x22, 0x22, 0x22);
    private static readonly SKColor GridColour = new(0xe3, 0xe3, 0xe3);
    private const int Width = 820, Height = 560, BandSteps = 60;
    private const float Left = 70, Right = 20, Top = 48, Bottom = 56, TitleSize = 17, TextSize = 12;

    public static byte[] RenderPng(CorrelationAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        return PngCanvas.Render(Width, Height, canvas => Draw(canvas, analysis));
    }

    private static void Draw(SKCanvas canvas, CorrelationAnalysis analysis)
    {
        using var titleFont = new SKFont(ChartTypeface.Regular, TitleSize);
        using var font = new SKFont(ChartTypeface.Regular, TextSize);
        using var ink = new SKPaint { IsAntialias = true, Color = Ink };
        canvas.DrawText($"Protocol top-1 vs {analysis.Downstream}", Left, 10 + TitleSize, titleFont, ink);

        var points = analysis.Protocols.SelectMany(p => p.Points).ToList();
        var xs = points.Select(p => 100 * p.Top1).ToList();
        var ys = points.Select(p => p.DownstreamAp).ToList();
        // The bands belong on the axes too, or their ends would be cut off.
        foreach (var protocol in analysis.Protocols.Where(p => p.Fit is not null))
            foreach (double x in new[] { protocol.Points.Min(p => p.Top1), protocol.Points.Max(p => p.Top1) })
            {
                var (low, high) = protocol.Fit!.Band(x);
                ys.Add(low);
                ys.Add(high);
            }
        var xTicks = AxisTicks.Linear(xs.Min(), xs.Max());
        var yTicks = AxisTicks.Linear(ys.Min(), ys.Max());
        var area = new SKRect(Left, Top, Width - Right, Height - Bottom);
        float X(double top1Percent) => area.Left + (float)((top1Percent - xTicks.Min) / (xTicks.Max - xTicks.Min)) * area.Width;
        float Y(double ap) => area.Bottom - (float)((ap - yTicks.Min) / (yTicks.Max - yTicks.Min)) * area.Height;

        DrawAxes(canvas, area, xTicks, yTicks, font, ink, X, Y);
        canvas.DrawText("top-1 (%)", area.MidX - 25, Height - 12, font, ink);
        canvas.Save();
        canvas.RotateDegrees(-90, 16, area.MidY);
        canvas.DrawText(analysis.Downstream, 16 - 60, area.MidY, font, ink);
        canvas.Restore();

        canvas.Save();
        canvas.ClipRect(area);
        for (int i = 0; i < analysis.Protocols.Count; i++)
            DrawProtocol(canvas, analysis.Protocols[i], Palette[i % Palette.Length], X, Y);
        canvas.Restore();
        DrawLegend(canvas, analysis, area, font, ink);
    }

    private static void DrawAxes(SKCanvas canvas, SKRect area, AxisTicks xTicks, AxisTicks yTicks, SKFont font, SKPaint ink,
                                 Func<double, float> x, Func<double, float> y)
    {
        using var grid = new SKPaint { Color = GridColour, StrokeWidth = 1 };
        using var axis = new SKPaint { IsAntialias = true, Color = Ink, StrokeWidth = 1, Style = SKPaintStyle.Stroke };
        for (int i = 0; i < xTicks.Values.Count; i++)
        {
            float px = x(xTicks.Values[i]);
            canvas.DrawLine(px, area.Top, px, area.Bottom, grid);
            canvas.DrawText(xTicks.Labels[i], px - 10, area.Bottom + 16, font, ink);
        }
        for (int i = 0; i < yTicks.Values.Count; i++)
        {
            float py = y(yTicks.Values[i]);
            canvas.DrawLine(area.Left, py, area.Right, py, grid);
            canvas.DrawText(yTicks.Labels[i], area.Left - 8 - 7 * yTicks.Labels[i].Length, py + 4, font, ink);
        }
        canvas.DrawRect(area, axis);
    }

    /// <summary>Points, and the line and band over the protocol's own top-1 range (no extrapolation).</summary>
    private static void DrawProtocol(SKCanvas canvas, ProtocolCorrelation protocol, SKColor colour, Func<double, float> x, Func<double, float> y)
    {
        double xMin = protocol.Points.Min(p => p.Top1), xMax = protocol.Points.Max(p => p.Top1);
        if (protocol.Fit is { } fit)
        {
            using var band = new SKPath();
            for (int s = 0; s <= BandSteps; s++)
            {
                double top1 = xMin + (xMax - xMin) * s / BandSteps;
                var point = new SKPoint(x(100 * top1), y(fit.Band(top1).High));
                if (s == 0) band.MoveTo(point);
                else band.LineTo(point);
            }
            for (int s = BandSteps; s >= 0; s--)
            {
                double top1 = xMin + (xMax - xMin) * s / BandSteps;
                band.LineTo(x(100 * top1), y(fit.Band(top1).Low));
            }
            band.Close();
            using var fill = new SKPaint { IsAntialias = true, Color = colour.WithAlpha(50), Style = SKPaintStyle.Fill };
            canvas.DrawPath(band, fill);
            using var line = new SKPaint { IsAntialias = true, Color = colour, StrokeWidth = 2 };
            canvas.DrawLine(x(100 * xMin), y(fit.Predict(xMin)), x(100 * xMax), y(fit.Predict(xMax)), line);
        }
        using var dot = new SKPaint { IsAntialias = true, Color = colour, Style = SKPaintStyle.Fill };
        foreach (var p in protocol.Points) canvas.DrawCircle(x(100 * p.Top1), y(p.DownstreamAp), 4.5f, dot);
    }

    private static void DrawLegend(SKCanvas canvas, CorrelationAnalysis analysis, SKRect area, SKFont font, SKPaint ink)
    {
        float top = area.Top + 8;
        using var background = new SKPaint { Color = SKColors.White.WithAlpha(225), Style = SKPaintStyle.Fill };
        canvas.DrawRect(area.Left + 6, top - 4, 330, 20 * analysis.Protocols.Count + 6, background);
        for (int i = 0; i < analysis.Protocols.Count; i++)
        {
            var protocol = analysis.Protocols[i];
            float baseline = top + 20 * i + 12;
            using var swatch = new SKPaint { IsAntialias = true, Color = Palette[i % Palette.Length], Style = SKPaintStyle.Fill };
            canvas.DrawCircle(area.Left + 16, baseline - 4, 5, swatch);
            canvas.DrawText(Legend(protocol), area.Left + 28, baseline, font, ink);
        }
    }

    /// <summary>"RoI linear: r = 0.912 [0.71, 0.99], n = 6".</summary>
    public static string Legend(ProtocolCorrelation protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        string r = protocol.PearsonR is { } value ? value.ToString("F3", CultureInfo.InvariantCulture) : "n/a";
        string interval = protocol.Interval is { } ci
            ? FormattableString.Invariant($" [{ci.Low:F2}, {ci.High:F2}]")
            : "";
        return $"{protocol.Protocol.Name}: r = {r}{interval}, n = {protocol.Points.Count}";
    }
}
