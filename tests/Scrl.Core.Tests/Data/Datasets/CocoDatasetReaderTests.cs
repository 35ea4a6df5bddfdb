using System.Text.Json;
using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Datasets;
using Scrl.Core.Tests.Support;

namespace Scrl.Core.Tests.Data.Datasets;

public sealed class CocoDatasetReaderTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Read_PolygonRleAndKeypoints_KeptAsDataInIdOrder()
    {
        string json = _root.File("instances.json");
        File.WriteAllText(json, """
            {"images": [{"id": 9, "file_name": "b.jpg", "width": 64, "height": 48, "license": 3},
                        {"id": 2, "file_name": "a.jpg", "width": 32, "height": 32}],
             "annotations": [
               {"id": 1, "image_id": 9, "category_id": 1, "bbox": [1.5, 2, 10, 20], "area": 150, "iscrowd": 0,
                "segmentation": [[1.5, 2, 11.5, 2, 11.5, 22]], "keypoints": [3, 4, 2, 0, 0, 0], "num_keypoints": 1},
               {"id": 2, "image_id": 9, "category_id": 1, "bbox": [0, 0, 4, 4], "area": 12, "iscrowd": 1,
                "segmentation": {"counts": [0, 4, 44, 4], "size": [48, 64]}},
               {"id": 3, "image_id": 2, "category_id": 1, "bbox": [0, 0, 3, 3], "area": 9, "iscrowd": 1,
                "segmentation": {"size": [32, 32], "counts": "0<0O1"}}],
             "categories": [{"id": 1, "name": "person", "supercategory": "person", "keypoints": ["nose", "eye"], "skeleton": [[1, 2]]}]}
            """);

        var dataset = CocoDatasetReader.Read(json, _root.Path);

        Assert.Equal(["2", "9"], dataset.Records.Select(r => r.ImageId));
        var b = dataset.Records[1];
        Assert.Equal(_root.File("b.jpg"), b.ImagePath);
        Assert.Equal(new BoxXyxy(1.5, 2, 11.5, 22), b.Instances[0].Box);
        Assert.Equal([3.0, 4, 2, 0, 0, 0], b.Instances[0].Keypoints!);
        Assert.Equal(1L, b.Instances[0].AnnotationId);
        Assert.Equal([1.5, 2, 11.5, 2, 11.5, 22], Assert.Single(b.Instances[0].Segmentation!.Polygons!));
        Assert.True(b.Instances[1].IsCrowd);
        Assert.Equal(new CocoRle(48, 64, null, null), b.Instances[1].Segmentation!.Rle! with { Counts = null });
        Assert.Equal([0, 4, 44, 4], b.Instances[1].Segmentation!.Rle!.Counts!);
        Assert.Equal(new CocoRle(32, 32, "0<0O1", null), dataset.Records[0].Instances[0].Segmentation!.Rle);
    }

    [Theory]
    [InlineData("""[[1, 2, 3, 4, 5, 6], [7.25, 8, 9, 10, 11, 12]]""")]
    [InlineData("""{"size": [48, 64], "counts": [0, 4, 44, 4]}""")]
    [InlineData("""{"size": [32, 32], "counts": "0<0O1"}""")]
    public void SegmentationConverter_WriteAfterRead_SameJson(string segmentation)
    {
        var options = new JsonSerializerOptions { TypeInfoResolver = CocoJsonContext.Default };
        var parsed = JsonSerializer.Deserialize<CocoSegmentation>(segmentation, options)!;
        string written = JsonSerializer.Serialize(parsed, options);

        using var expected = JsonDocument.Parse(segmentation);
        using var actual = JsonDocument.Parse(written);
        Assert.True(JsonElement.DeepEquals(expected.RootElement, actual.RootElement), $"{segmentation} was written as {written}");
    }

    [Fact]
    public void Read_AnnotationOfUnlistedImage_Throws()
    {
        string json = _root.File("orphans.json");
        File.WriteAllText(json, """
            {"images": [], "categories": [],
             "annotations": [{"id": 4, "image_id": 77, "category_id": 1, "bbox": [0, 0, 1, 1], "area": 1, "iscrowd": 0, "segmentation": []}]}
            """);

        var error = Assert.Throws<InvalidDataException>(() => CocoDatasetReader.Read(json, _root.Path));

        Assert.Contains("4:77", error.Message);
    }
}
