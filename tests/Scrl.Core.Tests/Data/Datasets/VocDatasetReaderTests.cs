using Scrl.Core.Data.Datasets;
using Scrl.Core.Tests.Support;

namespace Scrl.Core.Tests.Data.Datasets;

public sealed class VocDatasetReaderTests : IDisposable
{
    private readonly TempDirectory _voc = new();

    public VocDatasetReaderTests()
    {
        Directory.CreateDirectory(_voc.Combine("Annotations"));
        Directory.CreateDirectory(_voc.Combine("ImageSets", "Main"));
        Directory.CreateDirectory(_voc.Combine("JPEGImages"));
        File.WriteAllText(_voc.Combine("ImageSets", "Main", "trainval.txt"), "2007_000032\n2007_000027\n");
        WriteXml("2007_000027", 486, 500, Object("person", 174, 101, 349, 351, difficult: 0));
        WriteXml("2007_000032", 500, 281, Object("aeroplane", 104, 78, 375, 183, difficult: 0), Object("person", 195.0, 180, 213, 229, difficult: 1));
    }

    public void Dispose() => _voc.Dispose();

    [Fact]
    public void Read_Split_RecordsSortedWithZeroBasedBoxesAndDifficultFlags()
    {
        var dataset = VocDatasetReader.Read(_voc.Path, "trainval");

        Assert.Equal(["2007_000027", "2007_000032"], dataset.Records.Select(r => r.ImageId));
        Assert.Equal(20, dataset.Categories.Count);
        Assert.Equal(new DatasetCategory(15, "person"), dataset.Categories[14]);
        var plane = dataset.Records[1];
        Assert.Equal((500, 281), (plane.Width, plane.Height));
        Assert.Equal(_voc.Combine("JPEGImages", "2007_000032.jpg"), plane.ImagePath);
        Assert.Equal(new DatasetInstance(1, new BoxXyxy(103, 77, 375, 183)), plane.Instances[0]);
        Assert.Equal(new DatasetInstance(15, new BoxXyxy(194, 179, 213, 229), Difficult: true), plane.Instances[1]);
    }

    [Fact]
    public void Read_UnknownClass_ThrowsNamingTheFile()
    {
        WriteXml("2007_000027", 486, 500, Object("unicorn", 1, 1, 5, 5, difficult: 0));

        var error = Assert.Throws<InvalidDataException>(() => VocDatasetReader.Read(_voc.Path, "trainval"));

        Assert.Contains("2007_000027.xml", error.Message);
        Assert.Contains("unicorn", error.Message);
    }

    private void WriteXml(string id, int width, int height, params string[] objects) =>
        File.WriteAllText(_voc.Combine("Annotations", $"{id}.xml"),
            $"<annotation><filename>{id}.jpg</filename><size><width>{width}</width><height>{height}</height><depth>3</depth></size>" +
            string.Concat(objects) + "</annotation>");

    private static string Object(string name, double xmin, double ymin, double xmax, double ymax, int difficult) =>
        $"<object><name>{name}</name><pose>Frontal</pose><truncated>0</truncated><difficult>{difficult}</difficult>" +
        $"<bndbox><xmin>{xmin:0.0##}</xmin><ymin>{ymin}</ymin><xmax>{xmax}</xmax><ymax>{ymax}</ymax></bndbox></object>";
}
