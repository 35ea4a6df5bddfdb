using System.Globalization;
using System.Text.Json;
using Scrl.Core.Data.Coco;

namespace Scrl.Core.Data.Datasets;

/// <summary>Reads a COCO instances (or person keypoints) json into <see cref="ImageDataset"/> records.</summary>
public static class CocoDatasetReader
{
    /// <summary>
    /// Records sorted by numeric image id; instances in annotation-file order, boxes converted from xywh to xyxy.
    /// Duplicate ids, unknown categories and bad boxes are kept for <see cref="DatasetValidator"/> to report.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not COCO json, or annotations name images the file does not list.</exception>
    public static ImageDataset Read(string annotationFile, string imageFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(annotationFile);
        ArgumentException.ThrowIfNullOrWhiteSpace(imageFolder);
        string json = Path.GetFullPath(annotationFile);
        string folder = Path.GetFullPath(imageFolder);
        var coco = Load(json);

        var imageIds = coco.Images.Select(i => i.Id).ToHashSet();
        var orphans = coco.Annotations.Where(a => !imageIds.Contains(a.ImageId)).ToList();
        if (orphans.Count > 0)
            throw new InvalidDataException($"COCO file '{json}': {orphans.Count} annotations name images it does not list " +
                                           $"(annotation:image {string.Join(", ", orphans.Take(10).Select(a => $"{a.Id}:{a.ImageId}"))}).");
        var badBoxes = coco.Annotations.Where(a => a.Bbox.Count != 4).ToList();
        if (badBoxes.Count > 0)
            throw new InvalidDataException($"COCO file '{json}': {badBoxes.Count} annotations have a bbox that is not [x, y, w, h] " +
                                           $"(ids {string.Join(", ", badBoxes.Take(10).Select(a => a.Id))}).");

        var byImage = coco.Annotations.ToLookup(a => a.ImageId);
        var records = coco.Images
            .OrderBy(i => i.Id)
            .Select(i => new DatasetRecord(
                i.Id.ToString(CultureInfo.InvariantCulture), i.FileName, Path.Combine(folder, i.FileName), i.Width, i.Height,
                [.. byImage[i.Id].Select(ToInstance)]))
            .ToList();
        var categories = coco.Categories.OrderBy(c => c.Id).Select(c => new DatasetCategory(c.Id, c.Name)).ToList();
        return new ImageDataset($"COCO '{json}'", categories, records);
    }

    private static DatasetInstance ToInstance(CocoAnnotation a) => new(
        a.CategoryId,
        BoxXyxy.FromXywh(a.Bbox[0], a.Bbox[1], a.Bbox[2], a.Bbox[3]),
        IsCrowd: a.IsCrowd != 0,
        a.Segmentation,
        a.Keypoints,
        Difficult: false,
        AnnotationId: a.Id);

    private static CocoInstances Load(string json)
    {
        if (!File.Exists(json)) throw new FileNotFoundException($"COCO annotation file '{json}' does not exist.", json);
        try
        {
            using var stream = File.OpenRead(json);
            var coco = JsonSerializer.Deserialize(stream, CocoJsonContext.Default.CocoInstances);
            if (coco is not { Images: not null, Annotations: not null, Categories: not null })
                throw new InvalidDataException($"COCO annotation file '{json}' lacks images, annotations or categories.");
            return coco;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"COCO annotation file '{json}' is not valid COCO json: {e.Message}", e);
        }
    }
}
