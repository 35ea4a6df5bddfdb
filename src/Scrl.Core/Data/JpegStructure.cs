using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Scrl.Core.Data;

/// <summary>
/// Tells from a JPEG's markers alone, without decoding pixels, that it is complete and plainly built, and reads its
/// size: the cheap path of <see cref="Datasets.DatasetValidator"/>'s image check. A yes means the full decode
/// (<see cref="ImageDecoder.Check"/>) would succeed too; a no only means "decode it to know".
/// </summary>
/// <remarks>
/// A yes needs: SOI; segments whose lengths stay inside the data; one 8-bit sequential Huffman frame (SOF0/SOF1) of 1 or
/// 3 components with integral sampling ratios; well-formed quantization and Huffman tables (libjpeg's code-space check)
/// defined before the scans that use them; scans with the full spectral range that cover every component once; entropy
/// data holding nothing but stuffed bytes and restart markers; and EOI. The entropy coder stuffs every 0xFF it emits,
/// so a file cut anywhere never ends in a valid EOI, and truncation is caught wherever it happened. Everything rarer
/// (progressive, arithmetic, 12-bit, CMYK, DNL, libjpeg's default Huffman tables) is left to the decoder.
/// </remarks>
public static class JpegStructure
{
    private const int MaxComponents = 3;
    private const int MaxBlocksInMcu = 10;   // libjpeg's D_MAX_BLOCKS_IN_MCU

    /// <summary>Width and height when <paramref name="jpeg"/> is a complete plain JPEG (see remarks); null otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // runs once per image in short processes: skip the slow first tier
    public static (int Width, int Height)? CompleteSize(ReadOnlySpan<byte> jpeg)
    {
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8) return null;
        var frame = new Frame();
        var tables = new Tables();
        int pos = 2;
        while (true)
        {
            if (pos >= jpeg.Length || jpeg[pos] != 0xFF) return null;
            while (pos < jpeg.Length && jpeg[pos] == 0xFF) pos++;   // fill bytes may precede a marker
            if (pos >= jpeg.Length) return null;
            byte marker = jpeg[pos++];
            if (marker == 0xD9) return frame.Components > 0 && frame.Scanned == (1 << frame.Components) - 1 ? (frame.Width, frame.Height) : null;
            if (!HasKnownSegment(marker) || pos + 2 > jpeg.Length) return null;
            int length = jpeg[pos] << 8 | jpeg[pos + 1];
            if (length < 2 || pos + length > jpeg.Length) return null;
            var segment = jpeg.Slice(pos + 2, length - 2);
            pos += length;
            bool ok = marker switch
            {
                0xC0 or 0xC1 => frame.Components == 0 && frame.Read(segment),
                0xC4 => tables.ReadHuffman(segment),
                0xDB => tables.ReadQuantization(segment),
                0xDD => segment.Length == 2,                                      // restart interval
                0xDA => frame.Components > 0 && frame.ReadScan(segment, tables),
                _ => true,                                                        // APPn, COM
            };
            if (!ok) return null;
            if (marker == 0xDA && (pos = EndOfEntropyData(jpeg, pos)) < 0) return null;
        }
    }

    // Segments with a length field that a plain file may hold; any other marker sends the file to the decoder.
    private static bool HasKnownSegment(byte marker) => marker is 0xC0 or 0xC1 or 0xC4 or 0xDB or 0xDD or 0xDA or 0xFE or >= 0xE0 and <= 0xEF;

    // Index of the marker that ends the entropy-coded data starting at `pos`: the first 0xFF followed by neither 0x00
    // (a stuffed 0xFF) nor RSTn; -1 when the data runs out first. Stuffed bytes come every few hundred bytes, so whole
    // vectors are tested at once rather than stopping at each 0xFF: this scan is most of the walk's time.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int EndOfEntropyData(ReadOnlySpan<byte> jpeg, int pos)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            ref byte data = ref MemoryMarshal.GetReference(jpeg);
            var ff = Vector256.Create((byte)0xFF);
            var restartMask = Vector256.Create((byte)0xF8);
            var restart = Vector256.Create((byte)0xD0);
            for (; pos + Vector256<byte>.Count < jpeg.Length; pos += Vector256<byte>.Count)   // the next byte of every lane is in bounds
            {
                var current = Vector256.LoadUnsafe(ref data, (nuint)pos);
                var next = Vector256.LoadUnsafe(ref data, (nuint)pos + 1);
                var marker = Vector256.Equals(current, ff)
                             & ~Vector256.Equals(next, Vector256<byte>.Zero)
                             & ~Vector256.Equals(next & restartMask, restart);
                if (marker != Vector256<byte>.Zero) return pos + BitOperations.TrailingZeroCount(marker.ExtractMostSignificantBits());
            }
        }
        for (; pos + 1 < jpeg.Length; pos++)
            if (jpeg[pos] == 0xFF && jpeg[pos + 1] != 0x00 && (jpeg[pos + 1] & 0xF8) != 0xD0) return pos;
        return -1;
    }

    private struct Frame
    {
        private int _ids;          // component ids, one byte each
        private int _sampling;     // (h << 4 | v), one byte per component
        private int _quantTables;  // one byte per component

        public int Width;
        public int Height;
        public int Components;
        public int Scanned;        // bit per component

        public bool Read(ReadOnlySpan<byte> sof)
        {
            if (sof.Length < 6 || sof[0] != 8) return false;   // 8-bit samples only
            int height = sof[1] << 8 | sof[2], width = sof[3] << 8 | sof[4], count = sof[5];
            if (height == 0 || width == 0 || count is not (1 or MaxComponents) || sof.Length != 6 + 3 * count) return false;
            int maxH = 1, maxV = 1;
            for (int c = 0; c < count; c++)
            {
                byte id = sof[6 + 3 * c], hv = sof[7 + 3 * c], tq = sof[8 + 3 * c];
                if (hv >> 4 is < 1 or > 4 || (hv & 15) is < 1 or > 4 || tq > 3 || IndexOf(id, c) >= 0) return false;
                _ids |= id << 8 * c;
                _sampling |= hv << 8 * c;
                _quantTables |= tq << 8 * c;
                maxH = Math.Max(maxH, hv >> 4);
                maxV = Math.Max(maxV, hv & 15);
            }
            for (int c = 0; c < count; c++)   // libjpeg upsamples by integral factors only
                if (maxH % (Byte(_sampling, c) >> 4) != 0 || maxV % (Byte(_sampling, c) & 15) != 0) return false;
            (Width, Height, Components) = (width, height, count);
            return true;
        }

        public bool ReadScan(ReadOnlySpan<byte> sos, in Tables tables)
        {
            if (sos.Length < 1) return false;
            int count = sos[0];
            if (count < 1 || count > Components || sos.Length != 1 + 2 * count + 3) return false;
            int blocks = 0;
            for (int s = 0; s < count; s++)
            {
                int c = IndexOf(sos[1 + 2 * s], Components);
                if (c < 0 || (Scanned & 1 << c) != 0) return false;   // unknown, or scanned before (or twice in this scan)
                int dc = sos[2 + 2 * s] >> 4, ac = sos[2 + 2 * s] & 15;
                if (dc > 3 || ac > 3 || !tables.HasDc(dc) || !tables.HasAc(ac) || !tables.HasQuantization(Byte(_quantTables, c))) return false;
                blocks += (Byte(_sampling, c) >> 4) * (Byte(_sampling, c) & 15);
                Scanned |= 1 << c;
            }
            if (count > 1 && blocks > MaxBlocksInMcu) return false;
            return sos[1 + 2 * count] == 0 && sos[2 + 2 * count] == 63 && sos[3 + 2 * count] == 0;   // sequential: Ss 0, Se 63, Ah Al 0
        }

        private readonly int IndexOf(byte id, int count)
        {
            for (int c = 0; c < count; c++)
                if (Byte(_ids, c) == id) return c;
            return -1;
        }

        private static int Byte(int packed, int index) => packed >> 8 * index & 0xFF;
    }

    private struct Tables
    {
        private int _dc;
        private int _ac;
        private int _quantization;

        public readonly bool HasDc(int table) => (_dc & 1 << table) != 0;
        public readonly bool HasAc(int table) => (_ac & 1 << table) != 0;
        public readonly bool HasQuantization(int table) => (_quantization & 1 << table) != 0;

        public bool ReadQuantization(ReadOnlySpan<byte> dqt)
        {
            while (!dqt.IsEmpty)
            {
                int precision = dqt[0] >> 4, table = dqt[0] & 15;
                int size = 1 + 64 * (precision + 1);
                if (precision > 1 || table > 3 || dqt.Length < size) return false;
                _quantization |= 1 << table;
                dqt = dqt[size..];
            }
            return true;
        }

        public bool ReadHuffman(ReadOnlySpan<byte> dht)
        {
            while (!dht.IsEmpty)
            {
                if (dht.Length < 17) return false;
                int kind = dht[0] >> 4, table = dht[0] & 15;
                if (kind > 1 || table > 3) return false;
                int symbols = 0;
                long code = 0;
                for (int bits = 1; bits <= 16; bits++)
                {
                    symbols += dht[bits];
                    code += dht[bits];
                    if (code >= 1L << bits) return false;   // libjpeg's jpeg_make_d_derived_tbl: no code may be all ones
                    code <<= 1;
                }
                if (symbols > 256 || dht.Length < 17 + symbols) return false;
                // DC symbols are magnitude categories; libjpeg rejects any above 15.
                if (kind == 0 && dht.Slice(17, symbols).IndexOfAnyExceptInRange((byte)0, (byte)15) >= 0) return false;
                if (kind == 0) _dc |= 1 << table;
                else _ac |= 1 << table;
                dht = dht[(17 + symbols)..];
            }
            return true;
        }
    }
}
