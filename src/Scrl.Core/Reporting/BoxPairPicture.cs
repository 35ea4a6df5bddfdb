using Scrl.Charts;
using Scrl.Core.IO;
using Scrl.Core.Training;
using SkiaSharp;

namespace Scrl.Core.Reporting;

/// <summary>Draws an image's two augmented views side by side, each matched box pair in its own colour and numbered alike in both.</summary>
public static class BoxPairPicture
{
    private static readonly SKColor[] Palette =
    [
        new(0xe6, 0x19, 0x4b), new(0x3c, 0xb4, 0x4b), new(0xff, 0xe1, 0x19), new(0x43, 0x63, 0xd8), new(0xf5, 0x82, 0x31),
        new(0x91, 0x1e, 0xb4), new(0x46, 0xf0, 0xf0), new(0xf0, 0x32, 0xe6), new(0xbc, 0xf6, 0x0c), new(0xfa, 0xbe, 0xbe),
    ];

    /// <summary>Views narrower than this are upscaled so boxes and numbers stay readable.</summary>
    private const int MinDrawnSide = 320;
    private const int Gap = 16, Caption = 22;

    /// <summary>The colour of pair <paramref name="index"/> (as drawn).</summary>
    public static SKColor ColourOf(int index) => Palette[index % Palette.Length];

    public static byte[] RenderPng(BoxPairImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        float scale = Math.Max(1f, (float)MinDrawnSide / image.Side);
        int drawn = (int)Math.Round(image.Side * scale);
        return PngCanvas.Render(2 * drawn + Gap, drawn + Caption, canvas =>
        {
            using var font = new SKFont(ChartTypeface.Regular, 13);
            using var ink = new SKPaint { IsAntialias = true, Color = new SKColor(0x22, 0x22, 0x22) };
            canvas.DrawText($"view 1 | view 2 (sample {image.SampleIndex}, {image.Pairs.Count} box pairs)", 4, 15, font, ink);
            DrawView(canvas, image.View1Rgb, image.Side, new SKRect(0, Caption, drawn, Caption + drawn), image.Pairs.Select(p => p.View1).ToList(), scale, font);
            DrawView(canvas, image.View2Rgb, image.Side, new SKRect(drawn + Gap, Caption, 2 * drawn + Gap, Caption + drawn),
                     image.Pairs.Select(p => p.View2).ToList(), scale, font);
        });
    }

    public static void Save(BoxPairImage image, string pngPath) => AtomicFile.WriteAllBytes(pngPath, RenderPng(image));

    private static void DrawView(SKCanvas canvas, byte[] rgb, int side, SKRect area, IReadOnlyList<IReadOnlyList<float>> boxes, float scale, SKFont font)
    {
        var rgba = new byte[side * side * 4];
        for (int i = 0; i < side * side; i++)
        {
            rgba[4 * i] = rgb[3 * i];
            rgba[4 * i + 1] = rgb[3 * i + 1];
            rgba[4 * i + 2] = rgb[3 * i + 2];
            rgba[4 * i + 3] = 255;
        }
        using var view = new SKBitmap(new SKImageInfo(side, side, SKColorType.Rgba8888, SKAlphaType.Opaque));
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, view.GetPixels(), rgba.Length);
        using var smooth = new SKPaint { FilterQuality = SKFilterQuality.Medium };
        canvas.DrawBitmap(view, area, smooth);
        for (int i = 0; i < boxes.Count; i++)
        {
            var b = boxes[i];
            var rect = new SKRect(area.Left + b[0] * scale, area.Top + b[1] * scale, area.Left + b[2] * scale, area.Top + b[3] * scale);
            using var stroke = new SKPaint { Color = ColourOf(i), Style = SKPaintStyle.Stroke, StrokeWidth = 2, IsAntialias = true };
            canvas.DrawRect(rect, stroke);
            using var label = new SKPaint { Color = ColourOf(i), IsAntialias = true };
            canvas.DrawText((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), rect.Left + 3, rect.Top + 14, font, label);
        }
    }
}
