using System.Text;

namespace Scrl.Detection.Masks;

/// <summary>
/// COCO's compressed RLE string: each count (from the third on, as a difference to the count two before) in a
/// LEB128-like code of 5 bits per character plus a continuation bit, characters 48-111.
/// </summary>
/// <remarks>Mirrors cocodataset/cocoapi common/maskApi.c <c>rleToString</c> and <c>rleFrString</c>, same integer widths.</remarks>
public static class RleCompression
{
    /// <summary><c>rleToString</c>: the counts as COCO's compressed string.</summary>
    public static string Compress(ReadOnlySpan<uint> counts)
    {
        var text = new StringBuilder(counts.Length * 2);
        var writer = new Writer(text);
        foreach (uint c in counts) writer.Append(c);
        return text.ToString();
    }

    /// <summary><c>rleFrString</c>: the runs of a compressed string, for an image of <paramref name="height"/> x <paramref name="width"/>.</summary>
    /// <exception cref="InvalidDataException">A character outside 48-111, or a number cut off at the end of the string.</exception>
    public static Rle Decompress(string compressed, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(compressed);
        var counts = new uint[compressed.Length];
        int m = 0, p = 0;
        while (p < compressed.Length)
        {
            long x = 0;
            int k = 0;
            bool more = true;
            while (more)
            {
                if (p == compressed.Length)
                    throw new InvalidDataException($"RLE counts string ends inside a number (at character {p}).");
                char ch = compressed[p];
                if (ch is < '0' or > 'o')
                    throw new InvalidDataException($"RLE counts string has '{ch}' at character {p}; expected characters '0' to 'o'.");
                int c = ch - 48;
                x |= (long)((c & 0x1f) << (5 * k));       // an int shift, as in C
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0) x |= (long)(-1 << (5 * k));
            }
            if (m > 2) x += counts[m - 2];
            counts[m++] = unchecked((uint)x);
        }
        return new Rle(height, width, counts[..m]);
    }

    /// <summary>Appends counts one at a time, keeping the two before for the differences (no count array needed).</summary>
    internal struct Writer(StringBuilder text)
    {
        private long _twoBack, _oneBack;
        private int _index;

        public void Append(uint count)
        {
            long x = count;
            if (_index > 2) x -= _twoBack;
            (_twoBack, _oneBack) = (_oneBack, count);
            _index++;
            bool more = true;
            while (more)
            {
                int c = (int)(x & 0x1f);
                x >>= 5;
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more) c |= 0x20;
                text.Append((char)(c + 48));
            }
        }
    }
}
