using Scrl.Core.Randomness;
using SkiaSharp;

namespace Scrl.Core.Data.Synthetic;

/// <summary>
/// Polygon outlines for the synthetic shapes. Ellipses are polygons too, so the drawn pixels, the visible-region
/// path operations and the COCO polygons all describe exactly the same outline.
/// </summary>
internal static class ShapeOutline
{
    private const int EllipseVertices = 48;

    /// <summary>A closed polygon around (<paramref name="cx"/>, <paramref name="cy"/>) with radius about <paramref name="size"/>/2, randomly stretched and rotated.</summary>
    public static SKPath Create(ShapeKind kind, float cx, float cy, float size, IRandomSource random)
    {
        float rotation = (float)random.Uniform(0, 2 * Math.PI);
        float stretch = (float)random.Uniform(0.6, 1.0);   // y radius relative to x radius
        float r = size / 2;
        IEnumerable<(double Angle, double Radius)> polar = kind switch
        {
            ShapeKind.Rectangle => Enumerable.Range(0, 4).Select(i => (Math.PI / 4 + i * Math.PI / 2, (double)r)),
            ShapeKind.Ellipse => Enumerable.Range(0, EllipseVertices).Select(i => (2 * Math.PI * i / EllipseVertices, (double)r)),
            ShapeKind.Triangle => Enumerable.Range(0, 3).Select(i => (-Math.PI / 2 + i * 2 * Math.PI / 3, (double)r)),
            ShapeKind.Star => StarPolar(r, random.Uniform(0.35, 0.55), random.NextInt(5, 8)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        var points = polar.Select(p =>
        {
            double x = p.Radius * Math.Cos(p.Angle), y = p.Radius * Math.Sin(p.Angle) * stretch;
            return new SKPoint(
                cx + (float)(x * Math.Cos(rotation) - y * Math.Sin(rotation)),
                cy + (float)(x * Math.Sin(rotation) + y * Math.Cos(rotation)));
        }).ToArray();
        var path = new SKPath();
        path.AddPoly(points, close: true);
        return path;
    }

    private static IEnumerable<(double, double)> StarPolar(float r, double innerRatio, int spikes) =>
        Enumerable.Range(0, 2 * spikes).Select(i => (-Math.PI / 2 + i * Math.PI / spikes, i % 2 == 0 ? r : r * innerRatio));
}
