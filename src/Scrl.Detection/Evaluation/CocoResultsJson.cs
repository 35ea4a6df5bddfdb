using System.Text.Json;
using Scrl.Core.Configuration;

namespace Scrl.Detection.Evaluation;

/// <summary>
/// Reads, writes and checks COCO results files: a json list of
/// <c>{"image_id", "category_id", "bbox": [x, y, w, h], "score"}</c>.
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
    /// Every problem that stops evaluation: image ids missing from the ground truth (pycocotools asserts on them;
    /// listed here with their counts), boxes that are not four finite numbers, and non-finite scores.
    /// Unknown category ids are not errors: COCOeval skips them (see <see cref="CountUnknownCategories"/>).
    /// </summary>
    public static IReadOnlyList<ValidationError> Validate(IReadOnlyList<CocoDetection> detections, CocoGroundTruth groundTruth)
    {
        ArgumentNullException.ThrowIfNull(detections);
        ArgumentNullException.ThrowIfNull(groundTruth);
        var errors = new List<ValidationError>();
        var images = groundTruth.ImageIds.ToHashSet();
        var unknownImages = CountBy(detections.Where(d => !images.Contains(d.ImageId)).Select(d => d.ImageId));
        if (unknownImages.Count > 0)
            errors.Add(new("results[].image_id",
                $"{unknownImages.Values.Sum()} detections name {unknownImages.Count} image ids absent from the ground truth " +
                $"(id: count): {Describe(unknownImages)}"));
        for (int i = 0; i < detections.Count; i++)
        {
            var d = detections[i];
            if (d.Bbox is not { Count: 4 } || d.Bbox.Any(v => !double.IsFinite(v)))
                errors.Add(new($"results[{i}].bbox", $"must be four finite numbers [x, y, w, h], was [{string.Join(", ", d.Bbox ?? [])}]"));
            if (!double.IsFinite(d.Score))
                errors.Add(new($"results[{i}].score", $"must be finite, was {d.Score}"));
        }
        return errors;
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
