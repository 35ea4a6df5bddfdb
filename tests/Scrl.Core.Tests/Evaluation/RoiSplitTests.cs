using Scrl.Core.Data.Datasets;
using Scrl.Core.Evaluation;

namespace Scrl.Core.Tests.Evaluation;

public sealed class RoiSplitTests
{
    // COCO-style ids with gaps, listed out of order: the head's indices must follow ascending id.
    private static readonly DatasetCategory[] Categories = [new(90, "toothbrush"), new(3, "car"), new(7, "train")];

    private static ImageDataset Dataset(params DatasetInstance[] instances) =>
        new("test", Categories, [new DatasetRecord("1", "a.jpg", "/nowhere/a.jpg", Width: 200, Height: 100, instances)]);

    [Fact]
    public void Build_CrowdBoxes_AreExcludedAndCounted()
    {
        var map = new CategoryMap(Categories);
        var split = RoiSplit.Build(Dataset(new(3, new BoxXyxy(0, 0, 50, 50)), new(7, new BoxXyxy(10, 10, 90, 90), IsCrowd: true),
                                           new(90, new BoxXyxy(0, 0, 100, 100), IsCrowd: true)), map, new RoiEvalOptions { ImageSize = 100 });

        Assert.Equal(2, split.CrowdExcluded);
        Assert.Equal(1, split.RoiCount);
        Assert.Equal(map.IndexOf(3), split.Images[0].Boxes[0].ClassIndex);
    }

    [Fact]
    public void Build_BoxUnderOnePixelAfterResize_IsSkippedAndCounted()
    {
        // Square resize 200x100 -> 50x50 scales x by 1/4 and y by 1/2: a 3 px wide box becomes 0.75 px.
        var split = RoiSplit.Build(Dataset(new(3, new BoxXyxy(0, 0, 3, 40)), new(7, new BoxXyxy(0, 0, 40, 1.5)),
                                           new(90, new BoxXyxy(20, 20, 60, 60)), new(3, new BoxXyxy(190, 0, 260, 10))),
                                   new CategoryMap(Categories), new RoiEvalOptions { ImageSize = 50 });

        Assert.Equal(2, split.DegenerateSkipped);            // 0.75 px wide; 0.75 px high
        Assert.Equal(2, split.RoiCount);
        var kept = split.Images[0].Boxes;
        Assert.Equal(new RoiBox(5, 10, 15, 30, 2, BoxSizeBucket.Medium), kept[0]);   // 40x40 px: 32² <= 1600 < 96²
        Assert.Equal(new RoiBox(47.5f, 0, 50, 5, 0, BoxSizeBucket.Small), kept[1]);   // clipped at x = 200 before scaling
    }

    [Fact]
    public void CategoryMap_IndicesFollowAscendingCocoIds_AndMapBack()
    {
        var map = new CategoryMap(Categories);

        Assert.Equal([0, 1, 2], new[] { map.IndexOf(3), map.IndexOf(7), map.IndexOf(90) });
        Assert.Equal(90, map.CategoryAt(2).Id);
        Assert.Throws<InvalidDataException>(() => map.IndexOf(5));
    }

    [Fact]
    public void ShorterSideResize_KeepsAspect_AsTorchvisionIntSize()
    {
        var options = new RoiEvalOptions { ImageSize = 64, ResizeMode = RoiResizeMode.ShorterSide };

        Assert.Equal((128, 64), RoiSplit.ResizedSize(200, 100, options));
        Assert.Equal((64, 149), RoiSplit.ResizedSize(300, 700, options));   // int(64 * 700 / 300) = 149
    }

    [Fact]
    public void MaxRoisPerSplit_DrawsTheSameRoisForTheSameSeed()
    {
        var instances = Enumerable.Range(0, 40).Select(i => new DatasetInstance(3, new BoxXyxy(i, 0, i + 20, 20))).ToArray();
        var options = new RoiEvalOptions { ImageSize = 200, MaxRoisPerSplit = 10, Seed = 5 };
        var a = RoiSplit.Build(Dataset(instances), new CategoryMap(Categories), options);
        var b = RoiSplit.Build(Dataset(instances), new CategoryMap(Categories), options);

        Assert.Equal(10, a.RoiCount);
        Assert.Equal(a.Images[0].Boxes, b.Images[0].Boxes);
    }
}
