using Scrl.Detection.Masks;

namespace Scrl.Detection.Evaluation;

/// <summary>Where pycocotools' <c>loadRes</c> takes every result's <c>area</c> from (area ranges test unmatched detections with it).</summary>
internal enum CocoResultAreaSource
{
    /// <summary>The first result has a non-empty bbox: w * h of each bbox, whatever the iouType.</summary>
    Box,

    /// <summary>No bbox but a segmentation: the mask's pixel count.</summary>
    Mask,

    /// <summary>Keypoints only: the extent of all keypoints, labelled or not.</summary>
    KeypointExtent,
}

/// <summary>
/// pycocotools' <c>loadRes</c>: the branch is chosen by the <b>first</b> result alone (bbox, then segmentation, then
/// keypoints), and every result's area follows it.
/// </summary>
/// <remarks>Mirrors cocodataset/cocoapi PythonAPI/pycocotools/coco.py <c>COCO.loadRes</c>.</remarks>
internal static class CocoResultAreas
{
    public static CocoResultAreaSource SourceOf(IReadOnlyList<CocoDetection> detections) =>
        detections.Count == 0 || detections[0].Bbox is { Count: > 0 } ? CocoResultAreaSource.Box
        : detections[0].Segmentation is not null ? CocoResultAreaSource.Mask
        : CocoResultAreaSource.KeypointExtent;

    /// <summary>Each result's area, [D]; <paramref name="masks"/> are the results' masks when the source is <see cref="CocoResultAreaSource.Mask"/>.</summary>
    public static double[] Of(IReadOnlyList<CocoDetection> detections, IReadOnlyList<Rle>? masks)
    {
        var source = SourceOf(detections);
        var areas = new double[detections.Count];
        var resultMasks = source == CocoResultAreaSource.Mask ? masks ?? MasksOf(detections) : null;
        for (int i = 0; i < areas.Length; i++)
            areas[i] = source switch
            {
                CocoResultAreaSource.Box => detections[i].Bbox![2] * detections[i].Bbox![3],
                CocoResultAreaSource.Mask => RleOps.Area(resultMasks![i]),
                _ => KeypointExtentArea(detections[i].Keypoints!),
            };
        return areas;
    }

    /// <summary>Every result's mask at its stored size (validated to be its image's).</summary>
    public static Rle[] MasksOf(IReadOnlyList<CocoDetection> detections) =>
        detections.Select(d => CocoMasks.FromCocoRle(d.Segmentation!)).ToArray();

    // (max x - min x) * (max y - min y) over x = s[0::3], y = s[1::3].
    private static double KeypointExtentArea(IReadOnlyList<double> s)
    {
        double x0 = double.PositiveInfinity, x1 = double.NegativeInfinity, y0 = double.PositiveInfinity, y1 = double.NegativeInfinity;
        for (int j = 0; j + 1 < s.Count; j += 3)
        {
            x0 = Math.Min(x0, s[j]);
            x1 = Math.Max(x1, s[j]);
            y0 = Math.Min(y0, s[j + 1]);
            y1 = Math.Max(y1, s[j + 1]);
        }
        return (x1 - x0) * (y1 - y0);
    }
}
