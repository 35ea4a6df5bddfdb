using System.Text.Json;
using Scrl.Core.Configuration;
using Scrl.Detection.Masks;

namespace Scrl.Detection.Evaluation;

/// <summary>
/// Reads, writes and checks COCO results files: a json list of
/// <c>{"image_id", "category_id", "bbox": [x, y, w, h], "score"}</c>, with <c>"segmentation": {"size", "counts"}</c>
/// for masks or <c>"keypoints": [x, y, v, ...]</c> for keypoints.
/// </summary>
public static class CocoResultsJson
{
    /// <summary>Reads a results list; an empty list is valid.</summary>
    public static IReadOnlyList<CocoDetection> Load(string path)
    {
        using var stream = File.OpenRead(path);
        try { return Load(stream); }
        catch (JsonException e) { throw new InvalidDataException($"'{path}' is not a COCO results list: {e.Message}", e); }
    }

    /// <inheritdoc cref="Load(string)"/>
    public static IReadOnlyList<CocoDetection> Load(Stream stream) =>
        JsonSerializer.Deserialize(stream, CocoResultsJsonContext.Default.ListCocoDetection)
        ?? throw new InvalidDataException("A COCO results file must hold a json list, not null.");

    /// <summary>Writes <paramref name="detections"/> as a results list (doubles in shortest round-trip form).</summary>
    public static void Save(string path, IReadOnlyList<CocoDetection> detections)
    {
        using var stream = File.Create(path);
        Save(stream, detections);
    }

    /// <inheritdoc cref="Save(string, IReadOnlyList{CocoDetection})"/>
    public static void Save(Stream stream, IReadOnlyList<CocoDetection> detections) =>
        JsonSerializer.Serialize(stream, detections as List<CocoDetection> ?? [.. detections],
            CocoResultsJsonContext.Default.ListCocoDetection);

    /// <summary>
    /// Every problem that stops bbox evaluation: image ids missing from the ground truth (pycocotools asserts on them;
    /// listed here with their counts), boxes that are not four finite numbers, and non-finite scores.
    /// Unknown category ids are not errors: COCOeval skips them (see <see cref="CountUnknownCategories"/>).
    /// </summary>
    public static IReadOnlyList<ValidationError> Validate(IReadOnlyList<CocoDetection> detections, CocoGroundTruth groundTruth) =>
        Validate(detections, groundTruth, CocoIouType.Bbox);

    /// <summary>
    /// Every problem that stops evaluation of <paramref name="iouType"/>: those of bbox, except that segm and keypoint
    /// results need a box only where the first result has one (pycocotools' <c>loadRes</c> then takes every area from
    /// boxes); segm results need an RLE of their image's size whose runs cover it exactly; keypoint results need
    /// 3 x <paramref name="keypointCount"/> finite numbers (and a mask each where the first result has a mask but no box).
    /// </summary>
    public static IReadOnlyList<ValidationError> Validate(
        IReadOnlyList<CocoDetection> detections, CocoGroundTruth groundTruth, CocoIouType iouType, int keypointCount = CocoGroundTruthChecks.CocoKeypointCount)
    {
        ArgumentNullException.ThrowIfNull(detections);
        ArgumentNullException.ThrowIfNull(groundTruth);
        var errors = new List<ValidationError>();
        var unknownImages = CountBy(detections.Where(d => !groundTruth.Images.ContainsKey(d.ImageId)).Select(d => d.ImageId));
        if (unknownImages.Count > 0)
            errors.Add(new("results[].image_id",
                $"{unknownImages.Values.Sum()} detections name {unknownImages.Count} image ids absent from the ground truth " +
                $"(id: count): {Describe(unknownImages)}"));
        var areaSource = iouType == CocoIouType.Bbox ? CocoResultAreaSource.Box : CocoResultAreas.SourceOf(detections);
        for (int i = 0; i < detections.Count; i++)
        {
            var d = detections[i];
            if (areaSource == CocoResultAreaSource.Box && (d.Bbox is not { Count: 4 } || d.Bbox.Any(v => !double.IsFinite(v))))
                errors.Add(new($"results[{i}].bbox", $"must be four finite numbers [x, y, w, h]{BoxReason(iouType)}, was [{string.Join(", ", d.Bbox ?? [])}]"));
            if (!double.IsFinite(d.Score))
                errors.Add(new($"results[{i}].score", $"must be finite, was {d.Score}"));
            if (iouType == CocoIouType.Segm || areaSource == CocoResultAreaSource.Mask)
                CheckMask(d, i, groundTruth, errors);
            if (iouType == CocoIouType.Keypoints && (d.Keypoints is not { } k || k.Count != 3 * keypointCount || k.Any(v => !double.IsFinite(v))))
                errors.Add(new($"results[{i}].keypoints", $"must be {3 * keypointCount} finite numbers [x, y, v, ...], had {d.Keypoints?.Count ?? 0}"));
        }
        return errors;
    }

    private static string BoxReason(CocoIouType iouType) =>
        iouType == CocoIouType.Bbox ? "" : " (results[0] has a bbox, so pycocotools' loadRes takes every area from bbox)";

    private static void CheckMask(CocoDetection d, int i, CocoGroundTruth groundTruth, List<ValidationError> errors)
    {
        if (d.Segmentation is not { } rle)
        {
            errors.Add(new($"results[{i}].segmentation", "is missing: segm results (and keypoint results whose first has a mask but no box) need an RLE mask on every entry"));
            return;
        }
        if (groundTruth.Images.TryGetValue(d.ImageId, out var image) && (rle.Height != image.Height || rle.Width != image.Width))
        {
            errors.Add(new($"results[{i}].segmentation.size", $"is [{rle.Height}, {rle.Width}]; image {d.ImageId} is [{image.Height}, {image.Width}]"));
            return;
        }
        try
        {
            long covered = CocoMasks.FromCocoRle(rle).CoveredPixels();
            if (covered != (long)rle.Height * rle.Width)
                errors.Add(new($"results[{i}].segmentation.counts", $"runs cover {covered} pixels; a {rle.Height} x {rle.Width} mask has {(long)rle.Height * rle.Width}"));
        }
        catch (InvalidDataException e)
        {
            errors.Add(new($"results[{i}].segmentation.counts", e.Message));
        }
    }

    /// <summary>Detections per category id that the ground truth does not list; COCOeval ignores them.</summary>
    public static IReadOnlyDictionary<int, int> CountUnknownCategories(IReadOnlyList<CocoDetection> detections, CocoGroundTruth groundTruth)
    {
        var categories = groundTruth.CategoryIds.ToHashSet();
        return CountBy(detections.Where(d => !categories.Contains(d.CategoryId)).Select(d => d.CategoryId));
    }

    private static SortedDictionary<T, int> CountBy<T>(IEnumerable<T> keys) where T : notnull
    {
        var counts = new SortedDictionary<T, int>();
        foreach (var k in keys) counts[k] = counts.GetValueOrDefault(k) + 1;
        return counts;
    }

    private static string Describe<T>(SortedDictionary<T, int> counts) where T : notnull
    {
        const int shown = 20;
        string head = string.Join(", ", counts.Take(shown).Select(kv => $"{kv.Key}: {kv.Value}"));
        return counts.Count > shown ? $"{head}, ... ({counts.Count - shown} more)" : head;
    }
}
