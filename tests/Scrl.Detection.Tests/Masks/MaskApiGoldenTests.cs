using System.Text.Json;
using Scrl.Core.Data.Coco;
using Scrl.Detection.Masks;
using Scrl.Detection.Tests.Support;

namespace Scrl.Detection.Tests.Masks;

/// <summary>The mask API gives what pycocotools 2.0.11 gave on the same inputs (golden/masks/make_mask_api.py).</summary>
public sealed class MaskApiGoldenTests
{
    private static readonly JsonElement Golden = JsonDocument.Parse(File.ReadAllText(GoldenFiles.PathOf("masks/mask-api.json"))).RootElement;

    [Fact]
    public void EncodeAreaToBbox_RandomEmptyAndFullMasks_MatchPycocotools()
    {
        foreach (var c in Golden.GetProperty("masks").EnumerateArray())
        {
            int h = c.GetProperty("height").GetInt32(), w = c.GetProperty("width").GetInt32();
            byte[] rowMajor = RowMajor(c.GetProperty("rows"), h, w);
            string expected = c.GetProperty("rle").GetProperty("counts").GetString()!;

            Assert.Equal(expected, CocoMasks.Encode(rowMajor, h, w).CompressedCounts);
            var rle = RleEncoding.EncodeColumnMajor(Transpose(rowMajor, h, w), h, w);
            Assert.Equal(expected, RleCompression.Compress(rle.Counts));
            Assert.Equal(c.GetProperty("area").GetUInt32(), RleOps.Area(rle));
            Assert.Equal(Doubles(c.GetProperty("bbox")), Box(RleOps.ToBbox(rle)));
            Assert.Equal(rowMajor, CocoMasks.Rasterize(CocoSegmentation.FromRle(new CocoRle(h, w, expected, null)), h, w));
            Assert.Equal(Transpose(rowMajor, h, w), RleEncoding.DecodeColumnMajor(RleCompression.Decompress(expected, h, w)));
        }
    }

    [Fact]
    public void CompressedString_LongRunsOnALargeImage_RoundTripsAndMeasures()
    {
        var big = Golden.GetProperty("big");
        var (h, w, counts) = Rle(big.GetProperty("rle"));
        var rle = RleCompression.Decompress(counts, h, w);

        Assert.Equal(counts, RleCompression.Compress(rle.Counts));
        Assert.Equal((long)h * w, rle.CoveredPixels());
        Assert.Equal(big.GetProperty("area").GetUInt32(), RleOps.Area(rle));
        Assert.Equal(Doubles(big.GetProperty("bbox")), Box(RleOps.ToBbox(rle)));
        byte[] rowMajor = CocoMasks.Rasterize(CocoSegmentation.FromRle(new CocoRle(h, w, counts, null)), h, w);
        Assert.Equal(counts, CocoMasks.Encode(rowMajor, h, w).CompressedCounts);
    }

    [Fact]
    public void FromPolygon_NormalDegenerateOutsideAndSubPixel_MatchesFrPoly()
    {
        foreach (var c in Golden.GetProperty("polygons").EnumerateArray())
        {
            var (h, w, expected) = Rle(c.GetProperty("rle"));
            double[] polygon = Doubles(c.GetProperty("polygon"));
            Assert.True(expected == RleCompression.Compress(RlePolygon.FromPolygon(polygon, h, w).Counts), $"polygon [{string.Join(", ", polygon)}] in {h} x {w}");
        }
    }

    [Fact]
    public void FromBox_FractionalEmptyAndOutside_MatchesFrBbox()
    {
        foreach (var c in Golden.GetProperty("boxes").EnumerateArray())
        {
            var (h, w, expected) = Rle(c.GetProperty("rle"));
            double[] b = Doubles(c.GetProperty("box"));
            Assert.Equal(expected, RleCompression.Compress(RlePolygon.FromBox(b[0], b[1], b[2], b[3], h, w).Counts));
        }
    }

    [Fact]
    public void FromPolygonsThenMerge_PolygonLists_MatchFrPyObjectsAndAnnToRle()
    {
        foreach (var c in Golden.GetProperty("objects").EnumerateArray())
        {
            int h = c.GetProperty("height").GetInt32(), w = c.GetProperty("width").GetInt32();
            var polygons = c.GetProperty("polygons").EnumerateArray().Select(p => (IReadOnlyList<double>)Doubles(p)).ToList();
            var segmentation = CocoSegmentation.FromPolygons(polygons);
            if (c.TryGetProperty("error", out _))
            {
                Assert.Throws<InvalidDataException>(() => CocoMasks.FromPolygons(polygons, h, w));
                Assert.Throws<InvalidDataException>(() => CocoMasks.Rasterize(segmentation, h, w));
                continue;
            }
            var rles = CocoMasks.FromPolygons(polygons, h, w);
            Assert.Equal(c.GetProperty("rles").EnumerateArray().Select(r => Rle(r).Counts), rles.Select(r => RleCompression.Compress(r.Counts)));
            var (_, _, merged) = Rle(c.GetProperty("merged"));
            Assert.Equal(merged, RleCompression.Compress(CocoMasks.ToRle(segmentation, h, w).Counts));
            byte[] union = RleEncoding.DecodeColumnMajor(RleCompression.Decompress(merged, h, w));
            Assert.Equal(Transpose(union, w, h), CocoMasks.Rasterize(segmentation, h, w));
        }
    }

    [Fact]
    public void Merge_UnionAndIntersection_MatchPycocotools()
    {
        foreach (var c in Golden.GetProperty("merges").EnumerateArray())
        {
            var rles = c.GetProperty("rles").EnumerateArray().Select(ToRle).ToList();
            bool intersect = c.GetProperty("intersect").GetInt32() != 0;
            Assert.Equal(Rle(c.GetProperty("merged")).Counts, RleCompression.Compress(RleOps.Merge(rles, intersect).Counts));
        }
    }

    [Fact]
    public void Iou_CrowdAndNotDisjointAndEmpty_MatchesPycocotools()
    {
        foreach (var c in Golden.GetProperty("ious").EnumerateArray())
        {
            var dts = c.GetProperty("dts").EnumerateArray().Select(ToRle).ToList();
            var gts = c.GetProperty("gts").EnumerateArray().Select(ToRle).ToList();
            bool[] crowd = c.GetProperty("iscrowd").EnumerateArray().Select(e => e.GetInt32() != 0).ToArray();
            double[] expected = c.GetProperty("iou").EnumerateArray().SelectMany(Doubles).ToArray();
            Assert.Equal(expected, RleOps.Iou(dts, gts, crowd));            // bit for bit
        }
    }

    private static byte[] RowMajor(JsonElement rows, int h, int w)
    {
        var mask = new byte[h * w];
        int y = 0;
        foreach (var row in rows.EnumerateArray())
        {
            string bits = row.GetString()!;
            for (int x = 0; x < w; x++) mask[y * w + x] = (byte)(bits[x] - '0');
            y++;
        }
        return mask;
    }

    // [rows, cols] row-major to column-major, or back with the sizes swapped.
    private static byte[] Transpose(byte[] m, int rows, int cols)
    {
        var t = new byte[m.Length];
        for (int y = 0; y < rows; y++)
            for (int x = 0; x < cols; x++) t[x * rows + y] = m[y * cols + x];
        return t;
    }

    private static (int Height, int Width, string Counts) Rle(JsonElement e) =>
        (e.GetProperty("size")[0].GetInt32(), e.GetProperty("size")[1].GetInt32(), e.GetProperty("counts").GetString()!);

    private static Rle ToRle(JsonElement e)
    {
        var (h, w, counts) = Rle(e);
        return RleCompression.Decompress(counts, h, w);
    }

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static double[] Box(RleBox b) => [b.X, b.Y, b.Width, b.Height];
}
