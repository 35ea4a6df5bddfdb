using System.Globalization;
using System.Xml.Linq;
using Scrl.Core.Data.Datasets;

namespace Scrl.Cli.Tests.Support;

/// <summary>Writes a dataset as a VOC2012-layout folder whose image ids have VOC2012's form (2008_000001, ...).</summary>
public static class Voc2012Layout
{
    /// <summary>Copies every image and writes its xml and the split list; category id k becomes VOC class k.</summary>
    /// <returns>The VOC ids, in record order.</returns>
    public static IReadOnlyList<string> Write(ImageDataset source, string root, string split)
    {
        foreach (string folder in new[] { "JPEGImages", "Annotations", Path.Combine("ImageSets", "Main") })
            Directory.CreateDirectory(Path.Combine(root, folder));
        var ids = source.Records.Select((_, i) => $"2008_{i + 1:D6}").ToList();
        for (int i = 0; i < ids.Count; i++)
        {
            var record = source.Records[i];
            File.Copy(record.ImagePath, Path.Combine(root, "JPEGImages", $"{ids[i]}.jpg"));
            new XElement("annotation",
                new XElement("filename", $"{ids[i]}.jpg"),
                new XElement("size", new XElement("width", record.Width), new XElement("height", record.Height), new XElement("depth", 3)),
                record.Instances.Select(Object)).Save(Path.Combine(root, "Annotations", $"{ids[i]}.xml"));
        }
        File.WriteAllLines(Path.Combine(root, "ImageSets", "Main", $"{split}.txt"), ids);
        return ids;
    }

    // VOC stores 1-based inclusive pixel indices: x1 and y1 gain 1 (the reader takes it off again).
    private static XElement Object(DatasetInstance instance) =>
        new("object",
            new XElement("name", VocDatasetReader.ClassNames[instance.CategoryId - 1]),
            new XElement("difficult", 0),
            new XElement("bndbox",
                new XElement("xmin", Number(instance.Box.X1 + 1)), new XElement("ymin", Number(instance.Box.Y1 + 1)),
                new XElement("xmax", Number(instance.Box.X2)), new XElement("ymax", Number(instance.Box.Y2))));

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
