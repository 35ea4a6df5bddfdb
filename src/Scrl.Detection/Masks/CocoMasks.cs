using Scrl.Core.Data.Coco;

namespace Scrl.Detection.Masks;

/// <summary>
/// COCO segmentations as masks, the way pycocotools turns them into masks: polygons through <c>frPyObjects</c>,
/// RLE as stored. The entry points that
/// training, inference and evaluation share.
/// </summary>
/// <remarks>
/// Mirrors cocodataset/cocoapi PythonAPI/pycocotools/_mask.pyx <c>frPyObjects</c>, coco.py <c>annToRLE</c>, and
/// torchvision references/detection/coco_utils.py <c>convert_coco_poly_to_mask</c>.
/// </remarks>
public static class CocoMasks
{
    /// <summary>
    /// The mask of a segmentation, row-major [H * W], 1 inside: each polygon rasterized by <c>frPyObjects</c>, decoded,
    /// and united (torchvision's <c>convert_coco_poly_to_mask</c>); an RLE (string or count list) is decoded as stored.
    /// </summary>
    /// <exception cref="InvalidDataException">A polygon list pycocotools rejects, or an RLE of another size or with too many pixels.</exception>
    public static byte[] Rasterize(CocoSegmentation segmentation, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(segmentation);
        var mask = new byte[checked(height * width)];
        if (segmentation.Polygons is { } polygons)
            foreach (Rle rle in FromPolygons(polygons, height, width)) RleEncoding.OrIntoRowMajor(rle, mask);
        else
            RleEncoding.OrIntoRowMajor(FromCocoRle(segmentation.Rle!, height, width), mask);
        return mask;
    }

    /// <summary>
    /// A row-major [H * W] mask (nonzero = inside) as the RLE a COCO results file carries: compressed string counts.
    /// One pass over the pixels in column-major order, nothing allocated per pixel.
    /// </summary>
    public static CocoRle Encode(ReadOnlySpan<byte> rowMajorMask, int height, int width) =>
        new(height, width, RleEncoding.CompressRowMajor(rowMajorMask, height, width), null);

    /// <summary>
    /// pycocotools' <c>annToRLE</c>: polygons rasterized at the image's size and united, uncompressed counts taken as
    /// they are, compressed strings decompressed, each RLE at its own stored size.
    /// </summary>
    /// <exception cref="InvalidDataException">A polygon list pycocotools rejects, or a malformed counts string.</exception>
    public static Rle ToRle(CocoSegmentation segmentation, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(segmentation);
        return segmentation.Polygons is { } polygons
            ? RleOps.Merge(FromPolygons(polygons, height, width), intersect: false)
            : FromCocoRle(segmentation.Rle!);
    }

    /// <summary>
    /// pycocotools' <c>frPyObjects</c> on a list of polygons: one mask per polygon, each of int(n / 2) points, when the
    /// first polygon has more than four numbers; pycocotools fails on any other list, and so does this.
    /// </summary>
    /// <exception cref="InvalidDataException">An empty list, a first polygon of four numbers or fewer, or a non-finite coordinate.</exception>
    public static IReadOnlyList<Rle> FromPolygons(IReadOnlyList<IReadOnlyList<double>> polygons, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(polygons);
        if (polygons.Count == 0) throw new InvalidDataException("A polygon segmentation needs at least one polygon.");
        foreach (var polygon in polygons)
            if (polygon.Any(v => !double.IsFinite(v)))
                throw new InvalidDataException("A polygon holds a coordinate that is not a finite number.");
        // frPyObjects picks its reading from the first entry: more than four numbers means polygons (later ones may
        // be shorter); exactly four means boxes, which its frBbox then refuses as a list; fewer is unsupported.
        if (polygons[0].Count <= 4)
            throw new InvalidDataException($"The first polygon has {polygons[0].Count} numbers; pycocotools' frPyObjects needs more than four.");
        var rles = new Rle[polygons.Count];
        for (int i = 0; i < rles.Length; i++) rles[i] = RlePolygon.FromPolygon(ToArray(polygons[i]), height, width);
        return rles;
    }

    /// <summary>A stored RLE as runs at its own size (<c>frString</c> for string counts, the list for plain counts).</summary>
    public static Rle FromCocoRle(CocoRle rle)
    {
        ArgumentNullException.ThrowIfNull(rle);
        if (rle.CompressedCounts is { } compressed) return RleCompression.Decompress(compressed, rle.Height, rle.Width);
        var counts = rle.Counts ?? throw new InvalidDataException("An RLE needs counts.");
        var runs = new uint[counts.Count];
        for (int i = 0; i < runs.Length; i++)
            runs[i] = counts[i] >= 0 ? (uint)counts[i] : throw new InvalidDataException($"RLE count {i} is negative ({counts[i]}).");
        return new Rle(rle.Height, rle.Width, runs);
    }

    /// <summary>The runs as COCO's compressed RLE object.</summary>
    public static CocoRle ToCocoRle(Rle rle)
    {
        ArgumentNullException.ThrowIfNull(rle);
        return new CocoRle(rle.Height, rle.Width, RleCompression.Compress(rle.Counts), null);
    }

    private static Rle FromCocoRle(CocoRle rle, int height, int width)
    {
        if (rle.Height != height || rle.Width != width)
            throw new InvalidDataException($"The RLE is {rle.Height} x {rle.Width}; the image is {height} x {width}.");
        return FromCocoRle(rle);
    }

    private static double[] ToArray(IReadOnlyList<double> values) => values as double[] ?? [.. values];
}
