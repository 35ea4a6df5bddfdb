using SkiaSharp;

namespace Scrl.Core.Data.Synthetic;

/// <summary>
/// Reads a line-only <see cref="SKPath"/> (what Skia's path operations return for polygon inputs) as a list of
/// simple polygons, the form COCO's <c>segmentation</c> takes.
/// </summary>
internal static class PolygonRegion
{
    /// <summary>Contours of <paramref name="path"/> with at least three vertices and a non-negligible area.</summary>
    public static IReadOnlyList<SKPoint[]> Contours(SKPath path, double minArea = 1.0)
    {
        var contours = new List<SKPoint[]>();
        var current = new List<SKPoint>();
        var buffer = new SKPoint[4];
        using var iterator = path.CreateRawIterator();
        SKPathVerb verb;
        while ((verb = iterator.Next(buffer)) != SKPathVerb.Done)
        {
            switch (verb)
            {
                case SKPathVerb.Move:
                    Finish();
                    current.Add(buffer[0]);
                    break;
                case SKPathVerb.Line:
                    current.Add(buffer[1]);
                    break;
                case SKPathVerb.Quad or SKPathVerb.Conic:
                    current.Add(buffer[2]);
                    break;
                case SKPathVerb.Cubic:
                    current.Add(buffer[3]);
                    break;
                case SKPathVerb.Close:
                    Finish();
                    break;
            }
        }
        Finish();
        return contours;

        void Finish()
        {
            // Skia repeats the start point before Close on some contours; COCO polygons are implicitly closed.
            if (current.Count > 1 && current[^1] == current[0]) current.RemoveAt(current.Count - 1);
            if (current.Count >= 3 && Math.Abs(SignedArea(current)) >= minArea) contours.Add([.. current]);
            current.Clear();
        }
    }

    /// <summary>Shoelace area; the sign gives the orientation.</summary>
    public static double SignedArea(IReadOnlyList<SKPoint> polygon)
    {
        double twice = 0;
        for (int i = 0; i < polygon.Count; i++)
        {
            var a = polygon[i];
            var b = polygon[(i + 1) % polygon.Count];
            twice += (double)a.X * b.Y - (double)b.X * a.Y;
        }
        return twice / 2;
    }

    /// <summary>Area of a set of disjoint polygons.</summary>
    public static double Area(IEnumerable<IReadOnlyList<SKPoint>> polygons) => polygons.Sum(p => Math.Abs(SignedArea(p)));

    /// <summary>
    /// True when a contour lies inside another one, i.e. the region has a hole (or an island in a hole).
    /// COCO polygons cannot express holes, so such layouts are rejected.
    /// </summary>
    public static bool HasNestedContours(IReadOnlyList<SKPoint[]> contours)
    {
        for (int i = 0; i < contours.Count; i++)
            for (int j = 0; j < contours.Count; j++)
                if (i != j && Contains(contours[j], Centroid(contours[i]))) return true;
        return false;
    }

    private static SKPoint Centroid(SKPoint[] polygon) =>
        new(polygon.Average(p => p.X), polygon.Average(p => p.Y));

    /// <summary>Even-odd point-in-polygon test.</summary>
    private static bool Contains(SKPoint[] polygon, SKPoint p)
    {
        bool inside = false;
        for (int i = 0, j = polygon.Length - 1; i < polygon.Length; j = i++)
        {
            var a = polygon[i];
            var b = polygon[j];
            if ((a.Y > p.Y) != (b.Y > p.Y) && p.X < (b.X - a.X) * (p.Y - a.Y) / (b.Y - a.Y) + a.X) inside = !inside;
        }
        return inside;
    }
}
