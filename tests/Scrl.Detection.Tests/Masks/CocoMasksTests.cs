using Scrl.Core.Data.Coco;
using Scrl.Detection.Masks;

namespace Scrl.Detection.Tests.Masks;

public sealed class CocoMasksTests
{
    [Fact]
    public void Encode_EmptyAndSinglePixelMasks_CountTheZerosAroundTheBox()
    {
        Assert.Equal(RleCompression.Compress([35]), CocoMasks.Encode(new byte[35], 5, 7).CompressedCounts);
        var one = new byte[35];
        one[2 * 7 + 3] = 9;                                              // y = 2, x = 3: column-major index 3 * 5 + 2
        Assert.Equal(RleCompression.Compress([17, 1, 17]), CocoMasks.Encode(one, 5, 7).CompressedCounts);
        Assert.Equal("0", CocoMasks.Encode([], 0, 4).CompressedCounts);
    }

    [Fact]
    public void Encode_LargeMaskOfAnyNonzeroValue_EqualsEncodingTheColumnMajorZeroOneMask()
    {
        const int h = 800, w = 1333;
        var rng = new Random(3);
        var rowMajor = new byte[h * w];
        for (int k = 0; k < 40; k++)                                     // rectangles of mixed values, some 255
        {
            int y0 = rng.Next(h), x0 = rng.Next(w), y1 = Math.Min(h, y0 + rng.Next(1, 300)), x1 = Math.Min(w, x0 + rng.Next(1, 300));
            byte v = (byte)rng.Next(0, 256);
            for (int y = y0; y < y1; y++) rowMajor.AsSpan(y * w + x0, x1 - x0).Fill(v);
        }
        var columnMajor = new byte[h * w];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) columnMajor[x * h + y] = rowMajor[y * w + x] != 0 ? (byte)1 : (byte)0;

        CocoRle encoded = CocoMasks.Encode(rowMajor, h, w);

        Assert.Equal(RleCompression.Compress(RleEncoding.EncodeColumnMajor(columnMajor, h, w).Counts), encoded.CompressedCounts);
        Assert.Equal((h, w), (encoded.Height, encoded.Width));
        byte[] expected = Array.ConvertAll(rowMajor, b => b != 0 ? (byte)1 : (byte)0);
        Assert.Equal(expected, CocoMasks.Rasterize(CocoSegmentation.FromRle(encoded), h, w));
    }

    [Fact]
    public void Rasterize_RleOfAnotherSizeOrOverflowingRuns_Throws()
    {
        var rle = CocoSegmentation.FromRle(new CocoRle(10, 12, null, [5, 10, 105]));
        Assert.Throws<InvalidDataException>(() => CocoMasks.Rasterize(rle, 12, 10));
        var overflow = CocoSegmentation.FromRle(new CocoRle(10, 12, null, [5, 10, 106]));
        Assert.Throws<InvalidDataException>(() => CocoMasks.Rasterize(overflow, 10, 12));
        Assert.Equal(10, CocoMasks.Rasterize(rle, 10, 12).Count(b => b == 1));
    }

    [Fact]
    public void Rasterize_UncompressedCountsList_EqualsItsCompressedString()
    {
        uint[] runs = [3, 4, 20, 1, 0, 2, 90];                           // a zero-length run, as pycocotools allows
        var plain = CocoSegmentation.FromRle(new CocoRle(10, 12, null, runs.Select(r => (int)r).ToArray()));
        var compressed = CocoSegmentation.FromRle(new CocoRle(10, 12, RleCompression.Compress(runs), null));
        Assert.Equal(CocoMasks.Rasterize(compressed, 10, 12), CocoMasks.Rasterize(plain, 10, 12));
        Assert.Equal(7, CocoMasks.Rasterize(plain, 10, 12).Count(b => b == 1));
    }
}
