using System.Text.Json.Serialization;

namespace Scrl.Core.Data.Coco;

/// <summary>
/// A COCO <c>segmentation</c> value: either polygons [[x1, y1, x2, y2, ...], ...] in pixels, or a run-length mask
/// (crowd regions). Exactly one of <see cref="Polygons"/> and <see cref="Rle"/> is set. RLE is kept as data,
/// never decoded here: it travels unchanged into shards and to the evaluators.
/// </summary>
[JsonConverter(typeof(CocoSegmentationConverter))]
public sealed record CocoSegmentation
{
    private CocoSegmentation(IReadOnlyList<IReadOnlyList<double>>? polygons, CocoRle? rle)
    {
        Polygons = polygons;
        Rle = rle;
    }

    /// <summary>Polygons as flat [x, y, ...] lists in pixels, or null for an RLE mask.</summary>
    public IReadOnlyList<IReadOnlyList<double>>? Polygons { get; }

    /// <summary>The run-length mask, or null for polygons.</summary>
    public CocoRle? Rle { get; }

    public static CocoSegmentation FromPolygons(IReadOnlyList<IReadOnlyList<double>> polygons)
    {
        ArgumentNullException.ThrowIfNull(polygons);
        return new(polygons, null);
    }

    public static CocoSegmentation FromRle(CocoRle rle)
    {
        ArgumentNullException.ThrowIfNull(rle);
        return new(null, rle);
    }
}

/// <summary>
/// A COCO run-length mask of an image of <see cref="Height"/> x <see cref="Width"/> pixels (column-major runs).
/// pycocotools writes the runs either compressed into a string (<see cref="CompressedCounts"/>) or as plain
/// integers (<see cref="Counts"/>); exactly one is set, as it was in the source file.
/// </summary>
public sealed record CocoRle(int Height, int Width, string? CompressedCounts, IReadOnlyList<int>? Counts);
