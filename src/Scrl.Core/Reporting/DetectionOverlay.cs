using Scrl.Charts;
using Scrl.Core.IO;
using SkiaSharp;

namespace Scrl.Core.Reporting;

/// <summary>Draws true and predicted boxes over an image and writes a PNG, for eyeballing a detector's output.</summary>
public static class DetectionOverlay
{
    private static readonly SKColor TruthColour = new(0x2c, 0xa0, 0x2c);       // green
    private static readonly SKColor PredictedColour = new(0xd6, 0x27, 0x28);   // red

    /// <summary>Upscales small images so captions stay readable.</summary>
    private const int MinDrawnSide = 384;

    /// <param name="imagePath">A JPEG or PNG.</param>
    /// <param name="truth">Ground-truth boxes, drawn dashed in green.</param>
    /// <param name="predicted">Predictions, drawn solid in red.</param>
    /// <param name="pngPath">Output file; its folder must exist.</param>
    public static void Save(string imagePath, IReadOnlyList<OverlayBox> truth, IReadOnlyList<OverlayBox> predicted, string pngPath)
    {
        using var source = SKBitmap.Decode(imagePath) ?? throw new InvalidDataException($"cannot decode image {imagePath}");
        float scale = Math.Max(1f, (float)MinDrawnSide / Math.Min(source.Width, source.Height));
        int width = (int)Math.Round(source.Width * scale), height = (int)Math.Round(source.Height * scale);
        byte[] png = PngCanvas.Render(width, height, canvas =>
        {
            using var smooth = new SKPaint { FilterQuality = SKFilterQuality.Medium };
            canvas.DrawBitmap(source, new SKRect(0, 0, width, height), smooth);
            using var font = new SKFont(ChartTypeface.Regular, 12);
            using var dashes = SKPathEffect.CreateDash([6, 4], 0);
            foreach (var box in truth) Draw(canvas, box, scale, TruthColour, font, dashes, captionBelow: true);
            foreach (var box in predicted) Draw(canvas, box, scale, PredictedColour, font, null, captionBelow: false);
        });
        AtomicFile.WriteAllBytes(pngPath, png);
    }

    private static void Draw(SKCanvas canvas, OverlayBox box, float scale, SKColor colour, SKFont font, SKPathEffect? effect, bool captionBelow)
    {
        var rect = new SKRect((float)box.X1 * scale, (float)box.Y1 * scale, (float)box.X2 * scale, (float)box.Y2 * scale);
        using var stroke = new SKPaint { Color = colour, Style = SKPaintStyle.Stroke, StrokeWidth = 2, IsAntialias = true, PathEffect = effect };
        canvas.DrawRect(rect, stroke);
        if (box.Caption.Length == 0) return;
        var glyphs = new ushort[font.CountGlyphs(box.Caption)];
        font.GetGlyphs(box.Caption, glyphs);
        float width = font.MeasureText(glyphs);
        float top = captionBelow ? rect.Bottom : Math.Max(0, rect.Top - font.Size - 4);
        using var fill = new SKPaint { Color = colour.WithAlpha(200), Style = SKPaintStyle.Fill };
        canvas.DrawRect(new SKRect(rect.Left, top, rect.Left + width + 4, top + font.Size + 4), fill);
        using var text = new SKPaint { Color = SKColors.White, IsAntialias = true };
        canvas.DrawText(box.Caption, rect.Left + 2, top + font.Size, font, text);
    }
}
