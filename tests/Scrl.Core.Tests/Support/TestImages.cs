using SkiaSharp;

namespace Scrl.Core.Tests.Support;

/// <summary>Small encoded images made on the fly, so tests need no binary fixtures.</summary>
public static class TestImages
{
    /// <summary>A JPEG of fractal noise; <paramref name="seed"/> makes images distinguishable.</summary>
    public static byte[] NoiseJpeg(int width, int height, int seed = 1)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        using (var noise = SKShader.CreatePerlinNoiseFractalNoise(0.08f, 0.08f, 2, seed))
        using (var paint = new SKPaint { Shader = noise })
            canvas.DrawRect(0, 0, width, height, paint);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }
}
