using Scrl.Core.Randomness;
using SkiaSharp;

namespace Scrl.Core.Data.Synthetic;

/// <summary>A region to paint in a colour family, with optional detail drawn over it before anything in front of it.</summary>
internal sealed record PaintedObject(SKPath Outline, ColourFamily Family, Action<SKCanvas>? Detail = null);

/// <summary>
/// Paints a textured background and the placed shapes, back to front, and encodes the result as JPEG. Textures
/// (gradients, stripes, fractal noise) give the encoder something to learn beyond flat colour.
/// </summary>
internal static class ScenePainter
{
    private enum Texture { Solid, Gradient, Stripes, Noise }

    /// <param name="objects">Painted back to front.</param>
    public static byte[] PaintJpeg(int width, int height, IReadOnlyList<PaintedObject> objects, IRandomSource random, int jpegQuality)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            using var frame = new SKPath();
            frame.AddRect(new SKRect(0, 0, width, height));
            // The background has no solid option: a flat backdrop would make shapes trivially separable.
            var backgroundTexture = (Texture)random.NextInt((int)Texture.Gradient, (int)Texture.Noise + 1);
            Fill(canvas, frame, backgroundTexture, () => BackgroundColour(random), width, height, random);
            foreach (var (outline, family, detail) in objects)
            {
                var texture = (Texture)random.NextInt(0, (int)Texture.Noise + 1);
                Fill(canvas, outline, texture, () => ObjectColour(family, random), width, height, random);
                detail?.Invoke(canvas);
            }
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var encoded = image.Encode(SKEncodedImageFormat.Jpeg, jpegQuality)
                            ?? throw new InvalidOperationException("SkiaSharp could not encode a synthetic image as JPEG.");
        return encoded.ToArray();
    }

    private static void Fill(SKCanvas canvas, SKPath region, Texture texture, Func<SKColor> colour, int width, int height, IRandomSource random)
    {
        using var paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill, Color = colour() };
        var bounds = region.Bounds;
        switch (texture)
        {
            case Texture.Gradient:
                paint.Shader = SKShader.CreateLinearGradient(
                    RandomPointIn(bounds, random), RandomPointIn(bounds, random), [paint.Color, colour()], null, SKShaderTileMode.Clamp);
                break;
            case Texture.Stripes:
                double angle = random.Uniform(0, Math.PI);
                float period = (float)(Math.Min(width, height) * random.Uniform(0.03, 0.12));
                var start = new SKPoint(bounds.MidX, bounds.MidY);
                var end = new SKPoint(start.X + period * (float)Math.Cos(angle), start.Y + period * (float)Math.Sin(angle));
                // Hard stops at 0.5 and a repeating tile turn a gradient into stripes.
                paint.Shader = SKShader.CreateLinearGradient(
                    start, end, [paint.Color, paint.Color, colour(), colour()], [0f, 0.5f, 0.5f, 1f], SKShaderTileMode.Repeat);
                break;
        }
        canvas.DrawPath(region, paint);
        paint.Shader?.Dispose();

        if (texture == Texture.Noise)
        {
            float frequency = (float)random.Uniform(0.02, 0.15);
            using var noise = SKShader.CreatePerlinNoiseFractalNoise(frequency, frequency, random.NextInt(1, 4), random.NextInt(0, 10_000));
            using var overlay = new SKPaint { IsAntialias = true, Shader = noise, Color = SKColors.White.WithAlpha((byte)random.NextInt(60, 140)) };
            canvas.DrawPath(region, overlay);
        }
    }

    private static SKPoint RandomPointIn(SKRect r, IRandomSource random) =>
        new((float)random.Uniform(r.Left, r.Right), (float)random.Uniform(r.Top, r.Bottom));

    private static SKColor BackgroundColour(IRandomSource random) =>
        SKColor.FromHsv((float)random.Uniform(0, 360), (float)random.Uniform(0, 30), (float)random.Uniform(25, 95));

    private static SKColor ObjectColour(ColourFamily family, IRandomSource random)
    {
        double hue = family switch
        {
            ColourFamily.Warm => (random.Uniform(-25, 55) + 360) % 360,    // red, orange, yellow
            ColourFamily.Cool => random.Uniform(170, 250),                // cyan to blue
            _ => throw new ArgumentOutOfRangeException(nameof(family), family, null),
        };
        return SKColor.FromHsv((float)hue, (float)random.Uniform(55, 100), (float)random.Uniform(55, 100));
    }
}
