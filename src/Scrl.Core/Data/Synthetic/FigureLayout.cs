using Scrl.Core.Data.Coco;
using Scrl.Core.Randomness;
using SkiaSharp;

namespace Scrl.Core.Data.Synthetic;

/// <summary>One placed figure: its silhouette, the part left visible by later figures, and its 17 keypoints with COCO visibility.</summary>
/// <param name="Keypoints">Position of each keypoint (meaningless where <see cref="Visibility"/> is 0).</param>
/// <param name="Visibility">COCO's flags: 2 visible, 1 labelled but hidden by a later figure, 0 outside the image.</param>
internal sealed record PlacedFigure(ColourFamily Family, SKPath Silhouette, IReadOnlyList<SKPoint[]> Visible, SKPoint[] Keypoints, int[] Visibility);

/// <summary>
/// Places stick figures (head, torso, limbs of some thickness) that may overlap a little; a figure hidden too much
/// by a later one is never placed, so every figure keeps most of its silhouette.
/// </summary>
internal static class FigureLayout
{
    private const int AttemptsPerFigure = 25;
    private const double MaxBoxIou = 0.25;
    private const double MinHeightFraction = 0.45, MaxHeightFraction = 0.95;    // of the image height
    private const double LimbWidth = 0.055, HeadRadius = 0.065;                  // of the figure height

    public static IReadOnlyList<PlacedFigure> Place(int width, int height, int count, IRandomSource random)
    {
        var poses = new List<(SKPath Silhouette, SKPoint[] Keypoints, ColourFamily Family)>();
        for (int n = 0; n < count; n++)
        {
            for (int attempt = 0; attempt < AttemptsPerFigure; attempt++)
            {
                double figureHeight = height * random.Uniform(MinHeightFraction, MaxHeightFraction);
                double x = random.Uniform(0.1 * width, 0.9 * width), top = random.Uniform(-0.05 * height, height - 0.9 * figureHeight);
                var keypoints = FigurePose.Sample(x, top, figureHeight, random);
                var family = (ColourFamily)random.NextInt(0, Enum.GetValues<ColourFamily>().Length);
                var silhouette = Silhouette(keypoints, figureHeight);
                if (poses.All(p => BoxIou(p.Silhouette.Bounds, silhouette.Bounds) <= MaxBoxIou))
                {
                    poses.Add((silhouette, keypoints, family));
                    break;
                }
                silhouette.Dispose();
            }
        }

        using var frame = new SKPath();
        frame.AddRect(new SKRect(0, 0, width, height));
        var placed = new List<PlacedFigure>(poses.Count);
        for (int i = 0; i < poses.Count; i++)
        {
            using var visible = poses.Skip(i + 1).Aggregate(Op(poses[i].Silhouette, frame, SKPathOp.Intersect),
                (region, later) => { var next = Op(region, later.Silhouette, SKPathOp.Difference); region.Dispose(); return next; });
            var flags = poses[i].Keypoints.Select(k =>
                k.X < 0 || k.Y < 0 || k.X >= width || k.Y >= height ? 0
                : poses.Skip(i + 1).Any(later => later.Silhouette.Contains(k.X, k.Y)) ? 1 : 2).ToArray();
            placed.Add(new PlacedFigure(poses[i].Family, poses[i].Silhouette, PolygonRegion.Contours(visible), poses[i].Keypoints, flags));
        }
        return placed;
    }

    /// <summary>The figure's outline as one polygonal path: head disc, torso quad, and a thick band per limb with round joints.</summary>
    private static SKPath Silhouette(SKPoint[] k, double figureHeight)
    {
        float limb = (float)(LimbWidth * figureHeight);
        var parts = new SKPath();
        parts.AddPoly(Disc(Mid(k[3], k[4]), (float)(HeadRadius * figureHeight)), close: true);
        parts.AddPoly([k[5], k[6], k[12], k[11]], close: true);
        foreach (var (a, b) in new[] { (5, 7), (7, 9), (6, 8), (8, 10), (11, 13), (13, 15), (12, 14), (14, 16) })
        {
            parts.AddPoly(Band(k[a], k[b], limb), close: true);
            parts.AddPoly(Disc(k[b], limb / 2), close: true);
        }
        // Union the overlapping parts into one outline (also fixes each polygon's winding).
        var silhouette = parts.Simplify() ?? throw new InvalidOperationException("Skia could not simplify a synthetic figure.");
        parts.Dispose();
        return silhouette;
    }

    private static SKPoint[] Band(SKPoint a, SKPoint b, float width)
    {
        float dx = b.X - a.X, dy = b.Y - a.Y, length = MathF.Max(MathF.Sqrt(dx * dx + dy * dy), 1e-3f);
        float nx = -dy / length * width / 2, ny = dx / length * width / 2;
        return [new(a.X + nx, a.Y + ny), new(b.X + nx, b.Y + ny), new(b.X - nx, b.Y - ny), new(a.X - nx, a.Y - ny)];
    }

    private static SKPoint[] Disc(SKPoint centre, float radius) =>
        [.. Enumerable.Range(0, 16).Select(i => new SKPoint(centre.X + radius * MathF.Cos(i * MathF.PI / 8), centre.Y + radius * MathF.Sin(i * MathF.PI / 8)))];

    private static SKPoint Mid(SKPoint a, SKPoint b) => new((a.X + b.X) / 2, (a.Y + b.Y) / 2);

    private static double BoxIou(SKRect a, SKRect b)
    {
        var inter = SKRect.Intersect(a, b);
        double i = inter.IsEmpty ? 0 : inter.Width * (double)inter.Height;
        return i / (a.Width * (double)a.Height + b.Width * (double)b.Height - i);
    }

    private static SKPath Op(SKPath a, SKPath b, SKPathOp op) =>
        a.Op(b, op) ?? throw new InvalidOperationException($"Skia path operation {op} failed on a synthetic figure.");
}
