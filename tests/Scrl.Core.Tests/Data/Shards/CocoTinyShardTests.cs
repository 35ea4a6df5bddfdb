using System.Globalization;
using System.Text.Json;
using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Datasets;
using Scrl.Core.Tests.Support;

namespace Scrl.Core.Tests.Data.Shards;

/// <summary>Shards the real COCO images of shared/data/coco-tiny and checks every image and annotation survives exactly.</summary>
[Trait("Category", "Shared")]
public sealed class CocoTinyShardTests : IDisposable
{
    private readonly TempDirectory _out = new();

    public void Dispose() => _out.Dispose();

    [Theory]
    [InlineData(CocoLayout.Train)]
    [InlineData(CocoLayout.Val)]
    public async Task Shard_CocoTinySplit_RoundTripsEveryImageAndAnnotation(string split)
    {
        string root = SharedData.Folder("data/coco-tiny");
        string annotationFile = CocoLayout.AnnotationFile(root, split);
        var dataset = CocoDatasetReader.Read(annotationFile, CocoLayout.ImageFolder(root, split));
        var report = DatasetValidator.Validate(dataset, new DatasetValidationOptions { Parallelism = 2 });
        Assert.True(report.IsValid, report.Describe());

        var (folder, index) = await ShardRoundTrip.WriteAsync(dataset, _out.Combine(split), targetBytes: 4L * 1024 * 1024);
        var samples = await ShardRoundTrip.ReadAllAsync(folder, index);

        Assert.Equal(80, samples.Count);
        Assert.True(index.Shards.Count > 1);
        ShardRoundTrip.AssertMatches(dataset, samples);
        AssertMatchesRawCoco(annotationFile, samples.Select(s => s.ReadAnnotation()).ToList());
    }

    /// <summary>Checks the shard annotations against the COCO file read independently of our COCO records.</summary>
    private static void AssertMatchesRawCoco(string annotationFile, IReadOnlyList<Scrl.Core.Data.Shards.ShardAnnotation> annotations)
    {
        using var coco = JsonDocument.Parse(File.ReadAllBytes(annotationFile));
        var raw = coco.RootElement.GetProperty("annotations").EnumerateArray().ToLookup(a => a.GetProperty("image_id").GetInt64());
        var images = coco.RootElement.GetProperty("images").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetInt64());
        Assert.Equal(images.Keys.Order(), annotations.Select(a => long.Parse(a.ImageId, CultureInfo.InvariantCulture)));
        foreach (var annotation in annotations)
        {
            long id = long.Parse(annotation.ImageId, CultureInfo.InvariantCulture);
            var image = images[id];
            Assert.Equal(image.GetProperty("file_name").GetString(), annotation.FileName);
            Assert.Equal((image.GetProperty("width").GetInt32(), image.GetProperty("height").GetInt32()), (annotation.Width, annotation.Height));
            var expected = raw[id].ToList();
            Assert.Equal(expected.Count, annotation.Instances.Count);
            for (int k = 0; k < expected.Count; k++)
            {
                var (want, got) = (expected[k], annotation.Instances[k]);
                Assert.Equal(want.GetProperty("id").GetInt64(), got.AnnotationId);
                Assert.Equal(want.GetProperty("category_id").GetInt32(), got.CategoryId);
                Assert.Equal(want.GetProperty("iscrowd").GetInt32() == 1, got.IsCrowd);
                double[] xywh = [.. want.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble())];
                Assert.Equal(BoxXyxy.FromXywh(xywh[0], xywh[1], xywh[2], xywh[3]), got.Box);
                using var segmentation = JsonDocument.Parse(JsonSerializer.Serialize(got.Segmentation, CocoJsonContext.Default.CocoSegmentation));
                Assert.True(JsonElement.DeepEquals(want.GetProperty("segmentation"), segmentation.RootElement), $"segmentation of annotation {got.AnnotationId}");
            }
        }
    }
}
