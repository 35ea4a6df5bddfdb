using System.Buffers;
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
    /// The compressed string of a row-major mask, [H * W]: equals <c>rleToString(rleEncode(mask.T))</c>. Vectorized row
    /// scans find the box of nonzero pixels; only that box is transposed (into one pooled buffer) and searched for runs,
    /// the zeros around it are counted arithmetically, and runs go straight into the string: nothing is allocated per
    /// pixel or per run.
    /// </summary>
    public static string CompressRowMajor(ReadOnlySpan<byte> mask, int height, int width)
    {
        CheckLength(mask.Length, height, width);
        var runs = new RunWriter(new StringBuilder(64));
        int yMin = -1, yMax = -1, xMin = width, xMax = -1;
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<byte> row = mask.Slice(y * width, width);
            int first = row.IndexOfAnyExcept((byte)0);
            if (first < 0) continue;
            if (yMin < 0) yMin = y;
            yMax = y;
            xMin = Math.Min(xMin, first);
            xMax = Math.Max(xMax, row.LastIndexOfAnyExcept((byte)0));
        }
        if (yMin < 0)
        {
            runs.AddZeros((long)height * width);
            return runs.Finish();
        }

        int boxHeight = yMax - yMin + 1, boxWidth = xMax - xMin + 1;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(boxHeight * boxWidth);
        try
        {
            Span<byte> box = buffer.AsSpan(0, boxHeight * boxWidth);      // [boxWidth, boxHeight] column-major
            TransposeBox(mask, width, yMin, xMin, boxHeight, boxWidth, box);
            runs.AddZeros((long)xMin * height);
            for (int x = 0; x < boxWidth; x++)
            {
                runs.AddZeros(yMin);
                runs.AddPixels(box.Slice(x * boxHeight, boxHeight));
                runs.AddZeros(height - 1 - yMax);
            }
            runs.AddZeros((long)(width - 1 - xMax) * height);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return runs.Finish();
    }

    // The [boxHeight, boxWidth] window at (yMin, xMin) of a row-major mask, column-major, in 32 x 32 tiles for the cache.
    private static void TransposeBox(ReadOnlySpan<byte> rowMajor, int width, int yMin, int xMin, int boxHeight, int boxWidth, Span<byte> box)
    {
        const int tile = 32;
        for (int y0 = 0; y0 < boxHeight; y0 += tile)
        {
            int y1 = Math.Min(boxHeight, y0 + tile);
            for (int x0 = 0; x0 < boxWidth; x0 += tile)
            {
                int x1 = Math.Min(boxWidth, x0 + tile);
                for (int x = x0; x < x1; x++)
                {
                    Span<byte> column = box.Slice(x * boxHeight, boxHeight);
                    for (int y = y0; y < y1; y++) column[y] = rowMajor[(yMin + y) * width + xMin + x];
                }
            }
        }
    }

    /// <summary>Runs of a column-major pixel stream fed in pieces, written as they close (as <c>rleEncode</c> emits them).</summary>
    private struct RunWriter(StringBuilder text)
    {
        private RleCompression.Writer _writer = new(text);
        private bool _inside;
        private long _run;

        public void AddZeros(long count)
        {
            if (count <= 0) return;
            if (_inside) Close();
            _run += count;
        }

        public void AddPixels(ReadOnlySpan<byte> pixels)
        {
            while (pixels.Length > 0)
            {
                int change = _inside ? pixels.IndexOf((byte)0) : pixels.IndexOfAnyExcept((byte)0);
                if (change < 0)
                {
                    _run += pixels.Length;
                    return;
                }
                _run += change;
                Close();
                pixels = pixels[change..];
            }
        }

        public string Finish()
        {
            _writer.Append((uint)_run);
            return text.ToString();
        }

        private void Close()
        {
            _writer.Append((uint)_run);
            _run = 0;
            _inside = !_inside;
        }
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
            for (long j = at, end = at + c; inside && j < end;)
            {
                int x = (int)(j / h), y = (int)(j % h);                 // column-major index j = x * h + y
                int length = (int)Math.Min(end - j, h - y);             // the part of the run inside column x
                for (int yy = y; yy < y + length; yy++) rowMajor[yy * w + x] = 1;
                j += length;
            }
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
