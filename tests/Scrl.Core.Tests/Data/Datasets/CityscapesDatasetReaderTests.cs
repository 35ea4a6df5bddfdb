using Scrl.Core.Data.Datasets;
using Scrl.Core.Tests.Support;

namespace Scrl.Core.Tests.Data.Datasets;

public sealed class CityscapesDatasetReaderTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Read_PolygonJson_InstanceClassesOnlyWithCrowdGroupsAndPixelBoxes()
    {
        string city = _root.Combine("gtFine", "val", "aachen");
        Directory.CreateDirectory(city);
        File.WriteAllText(Path.Combine(city, "aachen_000001_000019_gtFine_polygons.json"), """
            {"imgHeight": 1024, "imgWidth": 2048, "objects": [
              {"label": "road", "polygon": [[0, 500], [2047, 500], [2047, 1023]]},
              {"label": "car", "polygon": [[10, 20], [110, 20], [110, 70], [10, 70]]},
              {"label": "persongroup", "polygon": [[300, 400], [340, 400], [320, 480]]},
              {"label": "bicycle", "deleted": 1, "polygon": [[1, 1], [5, 1], [5, 5]]},
              {"label": "license plate", "polygon": [[50, 60], [60, 60], [60, 65]]}
            ]}
            """);
        File.WriteAllText(Path.Combine(city, "aachen_000000_000019_gtFine_polygons.json"), """{"imgHeight": 1024, "imgWidth": 2048, "objects": []}""");

        var dataset = CityscapesDatasetReader.Read(_root.Path, "val");

        Assert.Equal(["aachen_000000_000019", "aachen_000001_000019"], dataset.Records.Select(r => r.ImageId));
        Assert.Equal(8, dataset.Categories.Count);
        var record = dataset.Records[1];
        Assert.Equal("aachen/aachen_000001_000019_leftImg8bit.png", record.FileName);
        Assert.Equal(_root.Combine("leftImg8bit", "val", "aachen", "aachen_000001_000019_leftImg8bit.png"), record.ImagePath);
        Assert.Equal((2048, 1024), (record.Width, record.Height));
        Assert.Equal(2, record.Instances.Count);

        var car = record.Instances[0];
        Assert.Equal((26, false), (car.CategoryId, car.IsCrowd));
        Assert.Equal(new BoxXyxy(10, 20, 111, 71), car.Box);                      // whole pixels: max + 1
        Assert.Equal([10.5, 20.5, 110.5, 20.5, 110.5, 70.5, 10.5, 70.5], Assert.Single(car.Segmentation!.Polygons!));
        var crowd = record.Instances[1];
        Assert.Equal((24, true), (crowd.CategoryId, crowd.IsCrowd));
        Assert.Equal(new BoxXyxy(300, 400, 341, 481), crowd.Box);
    }
}
