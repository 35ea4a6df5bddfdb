using System.Text;

namespace Scrl.Detection.Masks;

/// <summary>
/// Binary masks to runs and back. Masks are bytes, nonzero = inside; <c>ColumnMajor</c> is pycocotools' Fortran
/// order (what <c>rleEncode</c>/<c>rleDecode</c> read and write), <c>RowMajor</c> is an image's [H, W] order.
/// </summary>
/// <remarks>Mirrors cocodataset/cocoapi common/maskApi.c <c>rleEncode</c> and <c>rleDecode</c>.</remarks>
public static class RleEncoding
{
    /// <summary><c>rleEncode</c> of a column-major mask, [W * H].</summary>
    public static Rle EncodeColumnMajor(ReadOnlySpan<byte> mask, int height, int width)
    {
        CheckLength(mask.Length, height, width);
        var counts = new List<uint>();
        bool inside = false;
        uint run = 0;
        foreach (byte b in mask)
        {
            if ((b != 0) != inside)
            {
                counts.Add(run);
                run = 0;
                inside = !inside;
            }
            run++;
        }
        counts.Add(run);
        return new Rle(height, width, [.. counts]);
    }

    /// <summary>
    /// The compressed string of a row-major mask, [H * W], in one pass over the column-major order: runs go straight
    /// into the string, so nothing is allocated per pixel or per run. Equals <c>rleToString(rleEncode(mask.T))</c>.
    /// </summary>
    public static string CompressRowMajor(ReadOnlySpan<byte> mask, int height, int width)
    {
        CheckLength(mask.Length, height, width);
        var text = new StringBuilder(64);
        var writer = new RleCompression.Writer(text);
        bool inside = false;
        uint run = 0;
        for (int x = 0; x < width; x++)
        {
            int i = x;
            for (int y = 0; y < height; y++, i += width)
            {
                if ((mask[i] != 0) == inside)
                {
                    run++;
                    continue;
                }
                writer.Append(run);
                run = 1;
                inside = !inside;
            }
        }
        writer.Append(run);
        return text.ToString();
    }

    /// <summary><c>rleDecode</c>: the column-major mask, [W * H], 1 inside.</summary>
    /// <exception cref="InvalidDataException">The runs cover more than h * w pixels (pycocotools: "Invalid RLE mask representation").</exception>
    public static byte[] DecodeColumnMajor(Rle rle)
    {
        ArgumentNullException.ThrowIfNull(rle);
        var mask = new byte[checked(rle.Height * rle.Width)];
        long at = 0;
        byte v = 0;
        foreach (uint c in rle.Counts)
        {
            if (at + c > mask.Length) throw Overrun(rle);
            if (v == 1) mask.AsSpan((int)at, (int)c).Fill(1);
            at += c;
            v ^= 1;
        }
        return mask;
    }

    /// <summary>ORs the mask into a row-major [H * W] buffer (1 inside); the union of several masks needs no copies.</summary>
    /// <exception cref="InvalidDataException">The runs cover more than h * w pixels.</exception>
    public static void OrIntoRowMajor(Rle rle, Span<byte> rowMajor)
    {
        ArgumentNullException.ThrowIfNull(rle);
        int h = rle.Height, w = rle.Width;
        CheckLength(rowMajor.Length, h, w);
        long at = 0, total = (long)h * w;
        bool inside = false;
        foreach (uint c in rle.Counts)
        {
            if (at + c > total) throw Overrun(rle);
            if (inside)
                for (long j = at; j < at + c; j++)
                    rowMajor[(int)(j % h) * w + (int)(j / h)] = 1;     // column-major index j = x * h + y
            at += c;
            inside = !inside;
        }
    }

    private static InvalidDataException Overrun(Rle rle) =>
        new($"Invalid RLE mask representation: its runs cover {rle.CoveredPixels()} pixels, more than {rle.Height} x {rle.Width}.");

    private static void CheckLength(int length, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        if (length != (long)height * width)
            throw new ArgumentException($"A {height} x {width} mask has {(long)height * width} pixels; got {length}.");
    }
}
