using System.Text.Json;
using Scrl.Core.Data.Coco;

namespace Scrl.Detection.Evaluation;

/// <summary>
/// Ground truth as COCOeval sees it: the sorted unique image and category ids of the instances file (images
/// without annotations included) and the annotations that belong to both.
/// </summary>
public sealed class CocoGroundTruth
{
    private CocoGroundTruth(IReadOnlyList<long> imageIds, IReadOnlyList<int> categoryIds, IReadOnlyList<CocoBoxAnnotation> annotations)
    {
        ImageIds = imageIds;
        CategoryIds = categoryIds;
        Annotations = annotations;
    }

    /// <summary>Evaluated image ids, ascending (pycocotools' <c>params.imgIds</c>).</summary>
    public IReadOnlyList<long> ImageIds { get; }

    /// <summary>Evaluated category ids, ascending (<c>params.catIds</c>), including categories without annotations.</summary>
    public IReadOnlyList<int> CategoryIds { get; }

    /// <summary>Annotations of evaluated images and categories, in file order (which breaks matching ties).</summary>
    public IReadOnlyList<CocoBoxAnnotation> Annotations { get; }

    /// <summary>Reads an instances json (polygon or RLE masks: only boxes, areas and crowd flags are used).</summary>
    public static CocoGroundTruth Load(string instancesJsonPath)
    {
        using var stream = File.OpenRead(instancesJsonPath);
        var instances = JsonSerializer.Deserialize(stream, CocoJsonContext.Default.CocoBoxInstances)
                        ?? throw new InvalidDataException($"'{instancesJsonPath}' holds no COCO instances object.");
        return FromInstances(instances);
    }

    /// <summary>Indexes parsed instances; annotations of unlisted images or categories are dropped, as COCOeval does.</summary>
    public static CocoGroundTruth FromInstances(CocoBoxInstances instances)
    {
        ArgumentNullException.ThrowIfNull(instances);
        if (instances.Images is null || instances.Annotations is null || instances.Categories is null)
            throw new InvalidDataException("A COCO instances file needs 'images', 'annotations' and 'categories'.");
        var imageIds = instances.Images.Select(i => i.Id).Distinct().Order().ToArray();
        var categoryIds = instances.Categories.Select(c => c.Id).Distinct().Order().ToArray();
        var images = imageIds.ToHashSet();
        var categories = categoryIds.ToHashSet();
        var annotations = instances.Annotations.Where(a => images.Contains(a.ImageId) && categories.Contains(a.CategoryId)).ToArray();
        foreach (var a in annotations)
            if (a.Bbox is not { Count: 4 })
                throw new InvalidDataException($"Annotation {a.Id} has a bbox of {a.Bbox?.Count ?? 0} numbers; expected [x, y, w, h].");
        return new CocoGroundTruth(imageIds, categoryIds, annotations);
    }
}
