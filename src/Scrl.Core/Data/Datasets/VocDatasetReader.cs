using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Scrl.Core.Data.Datasets;

/// <summary>
/// Reads a PASCAL VOC 2007/2012 folder (<c>JPEGImages/</c>, <c>Annotations/*.xml</c>, <c>ImageSets/Main/{split}.txt</c>)
/// into <see cref="ImageDataset"/> records, as detectron2's <c>load_voc_instances</c> does.
/// </summary>
public static class VocDatasetReader
{
    /// <summary>The 20 VOC classes in their conventional order; category id = position + 1 (0 stays background).</summary>
    public static readonly IReadOnlyList<string> ClassNames =
    [
        "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
        "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor",
    ];

    /// <summary>
    /// Records of <paramref name="split"/> (e.g. <c>trainval</c>, <c>test</c>), sorted by image id. VOC boxes are 1-based
    /// inclusive pixel indices; like detectron2 we subtract 1 from x1 and y1 to get 0-based xyxy pixel boxes.
    /// </summary>
    /// <exception cref="InvalidDataException">A listed xml is missing, malformed, or names a class outside <see cref="ClassNames"/>;
    /// all such files are listed in the message.</exception>
    public static ImageDataset Read(string root, string split)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentException.ThrowIfNullOrWhiteSpace(split);
        string full = Path.GetFullPath(root);
        string listFile = Path.Combine(full, "ImageSets", "Main", $"{split}.txt");
        if (!File.Exists(listFile)) throw new FileNotFoundException($"VOC split list '{listFile}' does not exist.", listFile);

        var ids = File.ReadLines(listFile).Select(l => l.Trim()).Where(l => l.Length > 0).Order(StringComparer.Ordinal).ToList();
        var records = new List<DatasetRecord>(ids.Count);
        var failures = new List<string>();
        foreach (string id in ids)
        {
            string xml = Path.Combine(full, "Annotations", $"{id}.xml");
            try
            {
                records.Add(ReadRecord(full, id, xml));
            }
            catch (Exception e) when (e is XmlException or IOException or InvalidDataException or FormatException)
            {
                failures.Add($"{xml}: {e.Message}");
            }
        }
        if (failures.Count > 0)
            throw new InvalidDataException($"VOC '{full}' split '{split}': {failures.Count} unreadable annotation files:{Environment.NewLine}" +
                                           string.Join(Environment.NewLine, failures));
        var categories = ClassNames.Select((name, i) => new DatasetCategory(i + 1, name)).ToList();
        return new ImageDataset($"VOC '{full}' {split}", categories, records);
    }

    private static DatasetRecord ReadRecord(string root, string id, string xml)
    {
        var annotation = XDocument.Load(xml).Root ?? throw new InvalidDataException("empty xml");
        var size = annotation.Element("size") ?? throw new InvalidDataException("no <size>");
        var instances = new List<DatasetInstance>();
        foreach (var obj in annotation.Elements("object"))
        {
            string name = Text(obj, "name").Trim();
            int classIndex = IndexOfClass(name);
            var box = obj.Element("bndbox") ?? throw new InvalidDataException($"object '{name}' has no <bndbox>");
            // 1-based inclusive -> 0-based: x1 - 1, y1 - 1; x2, y2 unchanged (detectron2 pascal_voc.py).
            var xyxy = new BoxXyxy(Number(box, "xmin") - 1, Number(box, "ymin") - 1, Number(box, "xmax"), Number(box, "ymax"));
            bool difficult = obj.Element("difficult") is { } d && int.Parse(d.Value, CultureInfo.InvariantCulture) == 1;
            instances.Add(new DatasetInstance(classIndex + 1, xyxy, Difficult: difficult));
        }
        string fileName = $"{id}.jpg";
        return new DatasetRecord(id, fileName, Path.Combine(root, "JPEGImages", fileName),
                                 (int)Number(size, "width"), (int)Number(size, "height"), instances);
    }

    private static int IndexOfClass(string name)
    {
        for (int i = 0; i < ClassNames.Count; i++)
            if (ClassNames[i] == name) return i;
        throw new InvalidDataException($"unknown VOC class '{name}'");
    }

    private static string Text(XElement parent, string child) =>
        parent.Element(child)?.Value ?? throw new InvalidDataException($"<{parent.Name}> has no <{child}>");

    // Some VOC2012 files write coordinates as decimals ("273.0"), so parse as double like detectron2's float().
    private static double Number(XElement parent, string child) => double.Parse(Text(parent, child), CultureInfo.InvariantCulture);
}
