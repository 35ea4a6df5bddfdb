using System.Text.Json;
using Scrl.Core.Data.Coco;

namespace Scrl.Detection.Evaluation;

/// <summary>
/// Ground truth as COCOeval sees it: the sorted unique image and category ids of the instances file (images
/// without annotations included) and the annotations that belong to both. Read for boxes only (the fast path of
/// bbox evaluation), or with masks and keypoints (<see cref="FullAnnotations"/>) for segm and keypoints.
/// </summary>
public sealed class CocoGroundTruth
{
    private CocoGroundTruth(
        IReadOnlyList<long> imageIds, IReadOnlyList<int> categoryIds, IReadOnlyList<CocoBoxAnnotation> annotations,
        IReadOnlyDictionary<long, CocoImage> images, IReadOnlyList<CocoAnnotation>? fullAnnotations)
    {
        ImageIds = imageIds;
        CategoryIds = categoryIds;
        Annotations = annotations;
        Images = images;
        FullAnnotations = fullAnnotations;
    }

    /// <summary>Evaluated image ids, ascending (pycocotools' <c>params.imgIds</c>).</summary>
    public IReadOnlyList<long> ImageIds { get; }

    /// <summary>Evaluated category ids, ascending (<c>params.catIds</c>), including categories without annotations.</summary>
    public IReadOnlyList<int> CategoryIds { get; }

    /// <summary>Annotations of evaluated images and categories, in file order (which breaks matching ties).</summary>
    public IReadOnlyList<CocoBoxAnnotation> Annotations { get; }

    /// <summary>Image entries by id (the last of a repeated id, as pycocotools' index); masks are rasterized at their size.</summary>
    public IReadOnlyDictionary<long, CocoImage> Images { get; }

    /// <summary>
    /// The same annotations as <see cref="Annotations"/>, index for index, with segmentation and keypoints; null when
    /// the file was read for boxes only.
    /// </summary>
    public IReadOnlyList<CocoAnnotation>? FullAnnotations { get; }

    /// <summary>Reads an instances json for box evaluation (polygon or RLE masks: only boxes, areas and crowd flags are used).</summary>
    public static CocoGroundTruth Load(string instancesJsonPath) => Load(instancesJsonPath, CocoIouType.Bbox);

    /// <summary>Reads an instances (or person keypoints) json with what <paramref name="iouType"/> needs; bbox skips masks.</summary>
    public static CocoGroundTruth Load(string instancesJsonPath, CocoIouType iouType)
    {
        using var stream = File.OpenRead(instancesJsonPath);
        if (iouType == CocoIouType.Bbox)
            return FromInstances(JsonSerializer.Deserialize(stream, CocoJsonContext.Default.CocoBoxInstances)
                                 ?? throw new InvalidDataException($"'{instancesJsonPath}' holds no COCO instances object."));
        return FromInstances(JsonSerializer.Deserialize(stream, CocoJsonContext.Default.CocoInstances)
                             ?? throw new InvalidDataException($"'{instancesJsonPath}' holds no COCO instances object."));
    }

    /// <summary>Indexes parsed box instances; annotations of unlisted images or categories are dropped, as COCOeval does.</summary>
    public static CocoGroundTruth FromInstances(CocoBoxInstances instances)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var (imageIds, categoryIds, images) = Index(instances.Images, instances.Annotations, instances.Categories);
        var categories = categoryIds.ToHashSet();
        var annotations = instances.Annotations.Where(a => images.ContainsKey(a.ImageId) && categories.Contains(a.CategoryId)).ToArray();
        CheckBoxes(annotations.Select(a => (a.Id, (IReadOnlyList<double>?)a.Bbox)));
        return new CocoGroundTruth(imageIds, categoryIds, annotations, images, null);
    }

    /// <summary>Indexes parsed instances with their masks and keypoints; annotations of unlisted images or categories are dropped.</summary>
    public static CocoGroundTruth FromInstances(CocoInstances instances)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var (imageIds, categoryIds, images) = Index(instances.Images, instances.Annotations, instances.Categories);
        var categories = categoryIds.ToHashSet();
        var full = instances.Annotations.Where(a => images.ContainsKey(a.ImageId) && categories.Contains(a.CategoryId)).ToArray();
        CheckBoxes(full.Select(a => (a.Id, (IReadOnlyList<double>?)a.Bbox)));
        var boxes = Array.ConvertAll(full, a => new CocoBoxAnnotation(a.Id, a.ImageId, a.CategoryId, a.Bbox, a.Area, a.IsCrowd));
        return new CocoGroundTruth(imageIds, categoryIds, boxes, images, full);
    }

    private static (long[] ImageIds, int[] CategoryIds, Dictionary<long, CocoImage> Images) Index<TAnnotation>(
        IReadOnlyList<CocoImage>? images, IReadOnlyList<TAnnotation>? annotations, IReadOnlyList<CocoCategory>? categories)
    {
        if (images is null || annotations is null || categories is null)
            throw new InvalidDataException("A COCO instances file needs 'images', 'annotations' and 'categories'.");
        var byId = new Dictionary<long, CocoImage>();
        foreach (var image in images) byId[image.Id] = image;
        return (byId.Keys.Order().ToArray(), categories.Select(c => c.Id).Distinct().Order().ToArray(), byId);
    }

    private static void CheckBoxes(IEnumerable<(long Id, IReadOnlyList<double>? Bbox)> annotations)
    {
        foreach (var (id, bbox) in annotations)
            if (bbox is not { Count: 4 })
                throw new InvalidDataException($"Annotation {id} has a bbox of {bbox?.Count ?? 0} numbers; expected [x, y, w, h].");
    }
}
