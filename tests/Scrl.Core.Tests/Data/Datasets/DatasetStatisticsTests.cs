using Scrl.Core.Data.Datasets;

namespace Scrl.Core.Tests.Data.Datasets;

public sealed class DatasetStatisticsTests
{
    private static DatasetInstance Box(int category, double side, bool crowd = false) => new(category, new BoxXyxy(0, 0, side, side), crowd);

    [Fact]
    public void Of_CountsImagesAndInstancesPerCategory_AndBucketsBoxSizes()
    {
        var dataset = new ImageDataset("test", [new(1, "cat"), new(2, "dog"), new(3, "unused")],
        [
            new("a", "a.jpg", "/a.jpg", 500, 500, [Box(1, 10), Box(1, 31.9), Box(2, 32)]),      // small, small, medium
            new("b", "b.jpg", "/b.jpg", 500, 500, [Box(2, 96), Box(2, 200, crowd: true)]),       // large, crowd (not sized)
            new("c", "c.jpg", "/c.jpg", 500, 500, []),
            new("d", "d.jpg", "/d.jpg", 500, 500, [Box(7, 2000)]),                              // unlisted category
        ]);

        var stats = DatasetStatistics.Of(dataset);

        Assert.Equal((4, 1, 6, 1), (stats.Images, stats.UnannotatedImages, stats.Instances, stats.CrowdInstances));
        Assert.Equal([new(1, "cat", 1, 2), new(2, "dog", 2, 3), new(3, "unused", 0, 0), new CategoryCount(7, "?", 1, 1)], stats.Categories);
        Assert.Equal([2, 1, 2], stats.CocoSizes.Select(b => b.Count));
        var sides = stats.SideHistogram.ToDictionary(b => b.Label, b => b.Count);
        Assert.Equal(1, sides["[8, 16)"]);
        Assert.Equal(1, sides["[16, 32)"]);
        Assert.Equal(1, sides["[32, 64)"]);
        Assert.Equal(1, sides["[64, 128)"]);
        Assert.Equal(1, sides[">= 1024"]);
        Assert.Equal(5, stats.SideHistogram.Sum(b => b.Count));
    }
}
