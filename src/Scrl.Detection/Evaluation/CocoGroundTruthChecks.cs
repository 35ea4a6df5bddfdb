using Scrl.Core.Configuration;
using Scrl.Core.Data.Coco;

namespace Scrl.Detection.Evaluation;

/// <summary>
/// What a ground truth must hold for segm or keypoints evaluation, where pycocotools would fail part way: a mask on
/// every annotation (polygons that <c>frPyObjects</c> accepts, RLE at the image's size), or a full keypoint list and
/// <c>num_keypoints</c> on every annotation.
/// </summary>
public static class CocoGroundTruthChecks
{
    /// <summary>Every problem, each with the annotation's id in its path; none for bbox.</summary>
    public static IReadOnlyList<ValidationError> Validate(CocoGroundTruth groundTruth, CocoIouType iouType, int keypointCount = CocoKeypointCount)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        var errors = new List<ValidationError>();
        if (iouType == CocoIouType.Bbox) return errors;
        if (groundTruth.FullAnnotations is not { } annotations)
        {
            errors.Add(new("annotations", $"were read for boxes only; {CocoIouTypes.NameOf(iouType)} evaluation needs CocoGroundTruth.Load(path, iouType)"));
            return errors;
        }
        foreach (var a in annotations)
        {
            string path = $"annotations[id={a.Id}]";
            if (iouType == CocoIouType.Segm) CheckMask(a, groundTruth.Images[a.ImageId], path, errors);
            else CheckKeypoints(a, keypointCount, path, errors);
        }
        return errors;
    }

    /// <summary>COCO person keypoints per object.</summary>
    public const int CocoKeypointCount = 17;

    private static void CheckMask(CocoAnnotation a, CocoImage image, string path, List<ValidationError> errors)
    {
        switch (a.Segmentation)
        {
            case null:
                errors.Add(new($"{path}.segmentation", "is missing; segm evaluation needs a mask on every annotation"));
                break;
            case { Polygons: { } polygons }:
                if (polygons.Count == 0 || polygons[0].Count <= 4)
                    errors.Add(new($"{path}.segmentation", $"pycocotools' frPyObjects needs a first polygon of more than four numbers, had {(polygons.Count == 0 ? "no polygon" : $"{polygons[0].Count}")}"));
                else if (polygons.Any(p => p.Any(v => !double.IsFinite(v))))
                    errors.Add(new($"{path}.segmentation", "holds a coordinate that is not a finite number"));
                break;
            case { Rle: { } rle }:
                if (rle.Height != image.Height || rle.Width != image.Width)
                    errors.Add(new($"{path}.segmentation.size", $"is [{rle.Height}, {rle.Width}]; image {image.Id} is [{image.Height}, {image.Width}]"));
                break;
        }
    }

    private static void CheckKeypoints(CocoAnnotation a, int keypointCount, string path, List<ValidationError> errors)
    {
        if (a.Keypoints is not { } k || k.Count != 3 * keypointCount || k.Any(v => !double.IsFinite(v)))
            errors.Add(new($"{path}.keypoints", $"must be {3 * keypointCount} finite numbers [x, y, v, ...], had {a.Keypoints?.Count ?? 0}"));
        if (a.NumKeypoints is null)
            errors.Add(new($"{path}.num_keypoints", "is missing; keypoint evaluation ignores objects with none labelled"));
    }
}
