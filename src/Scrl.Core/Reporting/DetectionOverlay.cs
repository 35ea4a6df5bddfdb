using Scrl.Charts;
using Scrl.Core.IO;
using SkiaSharp;

namespace Scrl.Core.Reporting;

/// <summary>Draws true and predicted instances (boxes, masks, keypoint skeletons) over an image and writes a PNG, for eyeballing a detector's output.</summary>
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
            foreach (var box in predicted) DrawMask(canvas, box, source.Width, source.Height, width, height, PredictedColour);
            foreach (var box in truth) Draw(canvas, box, scale, TruthColour, font, dashes, captionBelow: true);
            foreach (var box in predicted) Draw(canvas, box, scale, PredictedColour, font, null, captionBelow: false);
            foreach (var box in truth) DrawKeypoints(canvas, box, scale, TruthColour);
            foreach (var box in predicted) DrawKeypoints(canvas, box, scale, PredictedColour);
        });
        AtomicFile.WriteAllBytes(pngPath, png);
    }

    /// <summary>The mask as a translucent layer, stretched like the image.</summary>
    private static void DrawMask(SKCanvas canvas, OverlayBox box, int sourceWidth, int sourceHeight, int width, int height, SKColor colour)
    {
        if (box.Mask is not { } mask) return;
        if (mask.Length != sourceWidth * sourceHeight)
            throw new ArgumentException($"a mask of {mask.Length} pixels does not cover the {sourceWidth}x{sourceHeight} image", nameof(box));
        int inside = unchecked((int)(uint)colour.WithAlpha(110));   // BGRA8888 in memory on little-endian
        var pixels = new int[mask.Length];
        for (int i = 0; i < mask.Length; i++) pixels[i] = mask[i] != 0 ? inside : 0;
        using var layer = new SKBitmap(new SKImageInfo(sourceWidth, sourceHeight, SKColorType.Bgra8888, SKAlphaType.Unpremul));
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, layer.GetPixels(), pixels.Length);
        canvas.DrawBitmap(layer, new SKRect(0, 0, width, height));
    }

    /// <summary>Labelled keypoints as dots, joined by COCO's person skeleton when there are 17.</summary>
    private static void DrawKeypoints(SKCanvas canvas, OverlayBox box, float scale, SKColor colour)
    {
        if (box.Keypoints is not { } k) return;
        int count = k.Count / 3;
        bool Labelled(int j) => j < count && k[3 * j + 2] > 0;
        SKPoint At(int j) => new((float)k[3 * j] * scale, (float)k[3 * j + 1] * scale);
        using var line = new SKPaint { Color = colour, Style = SKPaintStyle.Stroke, StrokeWidth = 2, IsAntialias = true };
        if (count == Data.Coco.CocoPersonKeypoints.Count)
            foreach (var limb in Data.Coco.CocoPersonKeypoints.Skeleton)
                if (Labelled(limb[0] - 1) && Labelled(limb[1] - 1)) canvas.DrawLine(At(limb[0] - 1), At(limb[1] - 1), line);
        using var dot = new SKPaint { Color = SKColors.White, Style = SKPaintStyle.Fill, IsAntialias = true };
        using var ring = new SKPaint { Color = colour, Style = SKPaintStyle.Stroke, StrokeWidth = 1.5f, IsAntialias = true };
        for (int j = 0; j < count; j++)
        {
            if (!Labelled(j)) continue;
            canvas.DrawCircle(At(j), 3, dot);
            canvas.DrawCircle(At(j), 3, ring);
        }
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
