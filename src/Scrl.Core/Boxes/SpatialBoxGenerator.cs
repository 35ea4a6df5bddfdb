using Scrl.Core.Augment;
using Scrl.Core.Randomness;
using static TorchSharp.torch;

namespace Scrl.Core.Boxes;

/// <summary>
/// Samples SCRL's spatially matched box pairs: K boxes inside the overlap of each image's two views, each
/// expressed in both views' pixels, with view-1 boxes of one image kept apart by an IoU limit.
/// </summary>
/// <remarks>
/// Port of SCRLBoxGenerator.generate (kakaobrain/scrl models/box_generator.py, flip fix 33e8b6e). The random
/// draws happen in the reference's numpy call order, so a recorded numpy sequence replays to identical boxes.
/// The per-image loop is scalar: a few hundred draws per image, far cheaper than tensor calls.
/// </remarks>
public sealed class SpatialBoxGenerator
{
    private readonly BoxGenOptions _options;

    public SpatialBoxGenerator(BoxGenOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors), nameof(options));
        _options = options;
    }

    /// <param name="view1">Crop and flip of view 1, one per image (B), in original-image pixels.</param>
    /// <param name="view2">The same for view 2.</param>
    /// <param name="rng">Source of every draw; replayable.</param>
    /// <returns>Pair-aligned RoIs (CPU tensors) for the concatenated [2B, ...] batch.</returns>
    public BoxPairs Generate(IReadOnlyList<ViewGeometry> view1, IReadOnlyList<ViewGeometry> view2, IRandomSource rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (view1.Count != view2.Count)
            throw new ArgumentException($"views disagree on batch size: {view1.Count} vs {view2.Count}", nameof(view2));

        int batch = view1.Count, size = _options.InputSize;
        var rows1 = new List<float>();
        var rows2 = new List<float>();
        var isFallback = new List<bool>();
        var perImage = new int[batch];
        for (int b = 0; b < batch; b++)
        {
            var overlap = ViewOverlap.Find(view1[b], view2[b], size, _options.MinSize);
            if (overlap is null) continue;
            var kept = new List<ViewBox>(_options.BoxesPerImage);   // clipped view-1 boxes of this image
            for (int i = 0; i < _options.BoxesPerImage; i++)
            {
                var (box1, box2, accepted) = DrawPair(overlap, kept, rng);
                var clipped1 = Clip(box1, size);
                kept.Add(clipped1);
                AppendRow(rows1, b, clipped1);
                AppendRow(rows2, b + batch, Clip(box2, size));
                isFallback.Add(!accepted);
            }
            perImage[b] = _options.BoxesPerImage;
        }

        return new BoxPairs(ToRois(rows1), ToRois(rows2), perImage, isFallback.ToArray());
    }

    /// <summary>Draws candidates until one passes the IoU test against <paramref name="kept"/>, or attempts run
    /// out; either way the last candidate is returned, unclipped.</summary>
    private (ViewBox Box1, ViewBox Box2, bool Accepted) DrawPair(ViewOverlap overlap, List<ViewBox> kept, IRandomSource rng)
    {
        ViewBox box1 = default, box2 = default;
        for (int attempt = 0; attempt < _options.MaxAttempts; attempt++)
        {
            var (x, y, width, height) = _options.GridBased ? SampleInGridCell(overlap, rng) : SampleAnywhere(overlap, rng);
            box1 = overlap.ToView(1, x, y, width, height);
            box2 = overlap.ToView(2, x, y, width, height);
            if (_options.Jitter) box2 = Jitter(box2, rng);

            if (kept.Count == 0 || _options.IouThreshold == 1.0) return (box1, box2, true);
            double maxIou = kept.Max(k => Iou(box1, k));
            if (maxIou < _options.IouThreshold) return (box1, box2, true);
        }
        return (box1, box2, false);
    }

    /// <summary>Picks a div_w x div_h grid over the overlap, one of its cells, then a box inside that cell.</summary>
    private (int X, int Y, int Width, int Height) SampleInGridCell(ViewOverlap overlap, IRandomSource rng)
    {
        int minSize = _options.MinSize;
        int divW = rng.NextInt(1, overlap.Width / minSize + 1);
        int divH = rng.NextInt(1, overlap.Height / minSize + 1);
        double cellW = (double)overlap.Width / divW, cellH = (double)overlap.Height / divH;   // >= minSize
        int cellX = rng.NextInt(0, divW);
        int cellY = rng.NextInt(0, divH);
        // numpy's randint truncates a float upper bound; (int) does the same for these positive values.
        int width = rng.NextInt(minSize, (int)(cellW + 1));
        int height = rng.NextInt(minSize, (int)(cellH + 1));
        int x = rng.NextInt(0, (int)(cellW - width + 1)) + (int)(cellX * cellW);
        int y = rng.NextInt(0, (int)(cellH - height + 1)) + (int)(cellY * cellH);
        return (x, y, width, height);
    }

    private (int X, int Y, int Width, int Height) SampleAnywhere(ViewOverlap overlap, IRandomSource rng)
    {
        int width = rng.NextInt(_options.MinSize, overlap.Width);
        int height = rng.NextInt(_options.MinSize, overlap.Height);
        int x = rng.NextInt(0, overlap.Width - width);
        int y = rng.NextInt(0, overlap.Height - height);
        return (x, y, width, height);
    }

    /// <summary>Moves the left and top edges by up to ±r of the box size, then rescales width and height.</summary>
    private ViewBox Jitter(ViewBox box, IRandomSource rng)
    {
        double low = 1.0 - _options.JitterRatio, high = 1.0 + _options.JitterRatio;
        double dx = rng.Uniform(low, high), dy = rng.Uniform(low, high), sx = rng.Uniform(low, high), sy = rng.Uniform(low, high);
        double width = box.X2 - box.X1, height = box.Y2 - box.Y1;
        double left = box.X1 + width * (dx - 1), top = box.Y1 + height * (dy - 1);
        return new ViewBox(left, top, left + width * sx, top + height * sy);
    }

    /// <summary>SCRL's bbox_iou: continuous coordinates, 0 when the boxes do not overlap.</summary>
    private static double Iou(ViewBox a, ViewBox b)
    {
        double intersection = Math.Max(Math.Min(a.X2, b.X2) - Math.Max(a.X1, b.X1), 0)
                            * Math.Max(Math.Min(a.Y2, b.Y2) - Math.Max(a.Y1, b.Y1), 0);
        if (intersection == 0) return 0;
        double areaA = Math.Abs((a.X2 - a.X1) * (a.Y2 - a.Y1)), areaB = Math.Abs((b.X2 - b.X1) * (b.Y2 - b.Y1));
        return intersection / (areaA + areaB - intersection);
    }

    private static ViewBox Clip(ViewBox box, int size) =>
        new(Math.Max(0, box.X1), Math.Max(0, box.Y1), Math.Min(size, box.X2), Math.Min(size, box.Y2));

    private static void AppendRow(List<float> rows, int batchIndex, ViewBox box) =>
        rows.AddRange([batchIndex, (float)box.X1, (float)box.Y1, (float)box.X2, (float)box.Y2]);

    private static Tensor ToRois(List<float> rows) => tensor(rows.ToArray(), [rows.Count / 5, 5], ScalarType.Float32);   // [R, 5]
}
