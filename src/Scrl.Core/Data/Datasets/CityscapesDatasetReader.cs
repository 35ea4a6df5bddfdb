using System.Text.Json;
using Scrl.Core.Data.Coco;

namespace Scrl.Core.Data.Datasets;

/// <summary>
/// Reads Cityscapes fine instance annotations (<c>gtFine/{split}/{city}/*_gtFine_polygons.json</c>, images under
/// <c>leftImg8bit/{split}/{city}/*_leftImg8bit.png</c>) into COCO-style records for the 8 instance classes,
/// following detectron2's <c>cityscapes_files_to_dict</c> (from_json=True).
/// </summary>
/// <remarks>
/// Like detectron2: objects marked <c>deleted</c> are skipped; <c>{class}group</c> objects become crowd instances of
/// their class; other labels (road, sky, caravan, trailer, license plate, ...) are not instances and are skipped.
/// Polygon vertices are integer pixel indices, so we move them to pixel centres (+0.5); the box covers whole pixels,
/// (min x, min y, max x + 1, max y + 1), which is what detectron2's 0.5-px dilated polygon bounds give.
/// Unlike detectron2 we do not subtract overlapping later polygons (that needs polygon clipping): an occluded
/// object keeps its full annotated outline and box.
/// </remarks>
public static class CityscapesDatasetReader
{
    /// <summary>The instance classes with their Cityscapes label ids (cityscapesscripts <c>labels.py</c>).</summary>
    public static readonly IReadOnlyList<DatasetCategory> Categories =
    [
        new(24, "person"), new(25, "rider"), new(26, "car"), new(27, "truck"),
        new(28, "bus"), new(31, "train"), new(32, "motorcycle"), new(33, "bicycle"),
    ];

    private const string PolygonSuffix = "_gtFine_polygons.json";
    private const string ImageSuffix = "_leftImg8bit.png";
    private const string InstanceIdsSuffix = "_gtFine_instanceIds.png";
    private const string GroupSuffix = "group";

    /// <summary>Records of <paramref name="split"/> sorted by ordinal path <c>{city}/{stem}</c>.</summary>
    /// <exception cref="InvalidDataException">A polygon file is malformed; every such file is listed.</exception>
    public static ImageDataset Read(string root, string split)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentException.ThrowIfNullOrWhiteSpace(split);
        string full = Path.GetFullPath(root);
        string gtFolder = Path.Combine(full, "gtFine", split);
        string imageFolder = Path.Combine(full, "leftImg8bit", split);
        if (!Directory.Exists(gtFolder)) throw new DirectoryNotFoundException($"Cityscapes annotation folder '{gtFolder}' does not exist.");

        var jsonFiles = Directory.EnumerateFiles(gtFolder, "*" + PolygonSuffix, SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(gtFolder, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        var records = new List<DatasetRecord>(jsonFiles.Count);
        var failures = new List<string>();
        foreach (string relative in jsonFiles)
        {
            string stemPath = relative[..^PolygonSuffix.Length];               // {city}/{city}_000000_000019
            string fileName = stemPath + ImageSuffix;
            string json = Path.Combine(gtFolder, relative);
            try
            {
                var (width, height, instances) = ReadPolygons(json);
                records.Add(new DatasetRecord(Path.GetFileName(stemPath), fileName, Path.Combine(imageFolder, fileName), width, height, instances));
            }
            catch (Exception e) when (e is JsonException or InvalidDataException or InvalidOperationException or KeyNotFoundException)
            {
                failures.Add($"{json}: {e.Message}");
            }
        }
        if (failures.Count > 0)
            throw new InvalidDataException($"Cityscapes '{gtFolder}': {failures.Count} unreadable polygon files:{Environment.NewLine}" +
                                           string.Join(Environment.NewLine, failures));
        return new ImageDataset($"Cityscapes '{full}' {split}", Categories, records);
    }

    /// <summary>The <c>gtFine/{split}/{city}/*_gtFine_instanceIds.png</c> of a record read from <paramref name="root"/>: what
    /// cityscapesScripts' instance-level evaluation scores against.</summary>
    public static string InstanceIdsFile(string root, string split, DatasetRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!record.FileName.EndsWith(ImageSuffix, StringComparison.Ordinal))
            throw new ArgumentException($"'{record.FileName}' is not a Cityscapes image name (*{ImageSuffix}).", nameof(record));
        return Path.Combine(Path.GetFullPath(root), "gtFine", split, record.FileName[..^ImageSuffix.Length] + InstanceIdsSuffix);
    }

    private static (int Width, int Height, List<DatasetInstance> Instances) ReadPolygons(string json)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(json));
        var root = document.RootElement;
        int width = root.GetProperty("imgWidth").GetInt32();
        int height = root.GetProperty("imgHeight").GetInt32();
        var instances = new List<DatasetInstance>();
        foreach (var obj in root.GetProperty("objects").EnumerateArray())
        {
            if (obj.TryGetProperty("deleted", out _)) continue;
            string label = obj.GetProperty("label").GetString() ?? "";
            bool crowd = label.EndsWith(GroupSuffix, StringComparison.Ordinal);
            string className = crowd ? label[..^GroupSuffix.Length] : label;
            if (Categories.FirstOrDefault(c => c.Name == className) is not { } category) continue;

            var vertices = obj.GetProperty("polygon").EnumerateArray().Select(p => (X: p[0].GetDouble(), Y: p[1].GetDouble())).ToList();
            if (vertices.Count == 0) throw new InvalidDataException($"object '{label}' has an empty polygon");
            var box = new BoxXyxy(vertices.Min(v => v.X), vertices.Min(v => v.Y), vertices.Max(v => v.X) + 1, vertices.Max(v => v.Y) + 1);
            double[] polygon = [.. vertices.SelectMany(v => new[] { v.X + 0.5, v.Y + 0.5 })];
            instances.Add(new DatasetInstance(category.Id, box, IsCrowd: crowd, Segmentation: CocoSegmentation.FromPolygons([polygon])));
        }
        return (width, height, instances);
    }
}
