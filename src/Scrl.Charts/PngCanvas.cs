using SkiaSharp;

namespace Scrl.Charts;

/// <summary>Draws on a fresh RGBA canvas and encodes the result as PNG.</summary>
public static class PngCanvas
{
    /// <param name="draw">Draws the picture; the canvas starts white unless <paramref name="background"/> says otherwise.</param>
    public static byte[] Render(int width, int height, Action<SKCanvas> draw, SKColor? background = null)
    {
        ArgumentNullException.ThrowIfNull(draw);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(background ?? SKColors.White);
            draw(canvas);
        }
        using SKImage image = SKImage.FromBitmap(bitmap);
        using SKData png = image.Encode(SKEncodedImageFormat.Png, 100)
                           ?? throw new InvalidOperationException($"SkiaSharp could not encode a {width}×{height} picture as PNG.");
        return png.ToArray();
    }
}
