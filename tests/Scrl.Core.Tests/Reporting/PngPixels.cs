using SkiaSharp;

namespace Scrl.Core.Tests.Reporting;

/// <summary>A decoded PNG and pixel counts over regions of it, for checking what a plot drew.</summary>
internal sealed class PngPixels : IDisposable
{
    public static readonly SKColor SeriesBlue = new(0x1f, 0x77, 0xb4);   // LinePlot's first series colour
    public static readonly SKColor SeriesOrange = new(0xff, 0x7f, 0x0e); // and its second

    private readonly SKBitmap _bitmap;

    public PngPixels(byte[] png) =>
        _bitmap = SKBitmap.Decode(png) ?? throw new InvalidDataException("Not a decodable image.");

    public int Width => _bitmap.Width;

    public int Height => _bitmap.Height;

    /// <summary>Pixels in [x0, x1) x [y0, y1) that are not (near) white background.</summary>
    public int CountInk(int x0, int y0, int x1, int y1) => Count(x0, y0, x1, y1, c => c.Red < 200 || c.Green < 200 || c.Blue < 200);

    /// <summary>Pixels in the region within a small distance of <paramref name="colour"/> (antialiased edges excluded).</summary>
    public int CountColour(SKColor colour, int x0, int y0, int x1, int y1) =>
        Count(x0, y0, x1, y1, c => Math.Abs(c.Red - colour.Red) + Math.Abs(c.Green - colour.Green) + Math.Abs(c.Blue - colour.Blue) < 40);

    public int CountColour(SKColor colour) => CountColour(colour, 0, 0, Width, Height);

    public void Dispose() => _bitmap.Dispose();

    private int Count(int x0, int y0, int x1, int y1, Func<SKColor, bool> match)
    {
        int count = 0;
        for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
            if (match(_bitmap.GetPixel(x, y))) count++;
        return count;
    }
}
