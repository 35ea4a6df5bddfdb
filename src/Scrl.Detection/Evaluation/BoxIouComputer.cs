using Scrl.Core.Data.Coco;

namespace Scrl.Detection.Evaluation;

/// <summary>
/// Box IoU of COCO's <c>maskApi.c bbIou</c> on [x, y, w, h] boxes, with its exact operation order: against a crowd
/// ground truth the union is the detection's area alone, and non-positive overlaps give 0.
/// </summary>
public sealed class BoxIouComputer : IIouComputer
{
    private readonly double[] _gtBoxes;    // [G * 4] x, y, w, h
    private readonly bool[] _gtCrowd;
    private readonly double[] _dtBoxes;    // [D * 4] x, y, w, h

    public BoxIouComputer(IReadOnlyList<CocoBoxAnnotation> groundTruth, IReadOnlyList<CocoDetection> detections)
    {
        _gtBoxes = Flatten(groundTruth.Select(a => (IReadOnlyList<double>?)a.Bbox), groundTruth.Count);
        _gtCrowd = groundTruth.Select(a => a.IsCrowd != 0).ToArray();
        _dtBoxes = Flatten(detections.Select(d => d.Bbox), detections.Count);
    }

    /// <inheritdoc/>
    public double DetectionArea(int detection) => _dtBoxes[4 * detection + 2] * _dtBoxes[4 * detection + 3];

    /// <inheritdoc/>
    public void Compute(ReadOnlySpan<int> detections, ReadOnlySpan<int> groundTruths, Span<double> iou)
    {
        int gCount = groundTruths.Length;
        if (iou.Length < detections.Length * gCount)
            throw new ArgumentException($"iou holds {iou.Length} values; needs {detections.Length} x {gCount}.", nameof(iou));
        for (int g = 0; g < gCount; g++)
        {
            ReadOnlySpan<double> gb = _gtBoxes.AsSpan(4 * groundTruths[g], 4);
            double ga = gb[2] * gb[3];
            bool crowd = _gtCrowd[groundTruths[g]];
            for (int d = 0; d < detections.Length; d++)
            {
                ReadOnlySpan<double> db = _dtBoxes.AsSpan(4 * detections[d], 4);
                double da = db[2] * db[3];
                iou[d * gCount + g] = 0;
                double w = Math.Min(db[2] + db[0], gb[2] + gb[0]) - Math.Max(db[0], gb[0]);
                if (w <= 0) continue;
                double h = Math.Min(db[3] + db[1], gb[3] + gb[1]) - Math.Max(db[1], gb[1]);
                if (h <= 0) continue;
                double inter = w * h;
                iou[d * gCount + g] = inter / (crowd ? da : da + ga - inter);
            }
        }
    }

    private static double[] Flatten(IEnumerable<IReadOnlyList<double>?> boxes, int count)
    {
        var flat = new double[4 * count];
        int i = 0;
        foreach (var b in boxes)
        {
            if (b is not { Count: 4 }) throw new ArgumentException($"Box {i / 4} has {b?.Count ?? 0} numbers; expected [x, y, w, h].");
            for (int j = 0; j < 4; j++) flat[i++] = b[j];
        }
        return flat;
    }
}
