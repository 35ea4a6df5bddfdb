using Scrl.Core.Randomness;
using SkiaSharp;

namespace Scrl.Core.Data.Synthetic;

/// <summary>One placed object: its full outline (what is drawn) and the part of it left visible by later objects.</summary>
internal sealed record PlacedShape(ShapeKind Kind, ColourFamily Family, SKPath Outline, IReadOnlyList<SKPoint[]> Visible);

/// <summary>
/// Places shapes one on top of another. Occlusion is allowed, but a placement is rejected when it would hide
/// too much of an earlier shape or punch a hole into it, so every object keeps a meaningful, hole-free mask.
/// </summary>
internal static class SceneLayout
{
    private const int AttemptsPerShape = 25;
    private const double MinVisibleFractionOfOccluded = 0.35;
    private const double MinInsideFraction = 0.6;    // of a new shape's own area, the part inside the image
    private const double MinSizeFraction = 0.15;     // shape diameter relative to the shorter image side
    private const double MaxSizeFraction = 0.55;

    public static IReadOnlyList<PlacedShape> Place(int width, int height, int count, IRandomSource random)
    {
        using var frame = new SKPath();
        frame.AddRect(new SKRect(0, 0, width, height));
        var outlines = new List<SKPath>();
        var visible = new List<SKPath>();    // visible part of each placed shape, clipped to the frame
        var placedArea = new List<double>();   // visible area of each shape when it was placed
        var kinds = new List<(ShapeKind, ColourFamily)>();
        float shortSide = Math.Min(width, height);

        for (int n = 0; n < count; n++)
        {
            for (int attempt = 0; attempt < AttemptsPerShape; attempt++)
            {
                var kind = (ShapeKind)random.NextInt(0, Enum.GetValues<ShapeKind>().Length);
                var family = (ColourFamily)random.NextInt(0, Enum.GetValues<ColourFamily>().Length);
                float size = (float)(shortSide * random.Uniform(MinSizeFraction, MaxSizeFraction));
                float cx = (float)random.Uniform(0.05 * width, 0.95 * width);
                float cy = (float)random.Uniform(0.05 * height, 0.95 * height);
                var outline = ShapeOutline.Create(kind, cx, cy, size, random);
                if (TryOcclude(outline, frame, visible, placedArea, out var candidateVisible, out var occludedVisible))
                {
                    for (int i = 0; i < visible.Count; i++)
                    {
                        visible[i].Dispose();
                        visible[i] = occludedVisible[i];
                    }
                    outlines.Add(outline);
                    visible.Add(candidateVisible);
                    placedArea.Add(PolygonRegion.Area(PolygonRegion.Contours(candidateVisible)));
                    kinds.Add((kind, family));
                    break;
                }
                outline.Dispose();
            }
        }

        var placed = new List<PlacedShape>(outlines.Count);
        for (int i = 0; i < outlines.Count; i++)
        {
            placed.Add(new PlacedShape(kinds[i].Item1, kinds[i].Item2, outlines[i], PolygonRegion.Contours(visible[i])));
            visible[i].Dispose();
        }
        return placed;
    }

    /// <summary>Visible regions if <paramref name="outline"/> is put on top; false if that leaves any shape too hidden or holed.</summary>
    private static bool TryOcclude(SKPath outline, SKPath frame, IReadOnlyList<SKPath> visible, IReadOnlyList<double> placedArea,
                                   out SKPath candidateVisible, out SKPath[] occludedVisible)
    {
        occludedVisible = [];
        candidateVisible = Op(outline, frame, SKPathOp.Intersect);
        var ownContours = PolygonRegion.Contours(candidateVisible);
        var ownFull = PolygonRegion.Contours(outline);
        if (ownContours.Count != 1 || PolygonRegion.Area(ownContours) < MinInsideFraction * PolygonRegion.Area(ownFull))
        {
            candidateVisible.Dispose();
            return false;
        }

        var next = new SKPath[visible.Count];
        for (int i = 0; i < visible.Count; i++)
        {
            next[i] = Op(visible[i], outline, SKPathOp.Difference);
            var after = PolygonRegion.Contours(next[i]);
            if (PolygonRegion.Area(after) < MinVisibleFractionOfOccluded * placedArea[i]
                || PolygonRegion.HasNestedContours(after))
            {
                foreach (var p in next.Take(i + 1)) p.Dispose();
                candidateVisible.Dispose();
                return false;
            }
        }
        occludedVisible = next;
        return true;
    }

    private static SKPath Op(SKPath a, SKPath b, SKPathOp op) =>
        a.Op(b, op) ?? throw new InvalidOperationException($"Skia path operation {op} failed on a synthetic shape.");
}
