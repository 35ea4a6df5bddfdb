using System.Text.Json;
using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Synthetic;
using Scrl.Core.Tests.Support;

namespace Scrl.Core.Tests.Data;

public class SyntheticFiguresDatasetTests
{
    private static readonly SyntheticDatasetOptions Small = new()
    {
        Seed = 3, TrainImages = 6, ValImages = 2, MinSide = 96, MaxSide = 160, MaxShapesPerImage = 3,
    };

    [Fact]
    public void Generate_SameSeed_WritesByteIdenticalFiles_KeypointsAndInstancesAlike()
    {
        using var temp = new TempDirectory();
        SyntheticFiguresDataset.Generate(Small, temp.Combine("a"), null, CancellationToken.None);
        SyntheticFiguresDataset.Generate(Small, temp.Combine("b"), null, CancellationToken.None);
        var files = Directory.EnumerateFiles(temp.Combine("a"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(temp.Combine("a"), f)).Order().ToList();
        Assert.Equal(Small.TrainImages + Small.ValImages + 4, files.Count);
        foreach (var file in files)
            Assert.Equal(File.ReadAllBytes(temp.Combine("a", file)), File.ReadAllBytes(temp.Combine("b", file)));
        Assert.Equal(File.ReadAllBytes(CocoLayout.KeypointsFile(temp.Combine("a"), CocoLayout.Train)),
                     File.ReadAllBytes(CocoLayout.AnnotationFile(temp.Combine("a"), CocoLayout.Train)));
    }

    [Fact]
    public void Generate_EveryFigure_CarriesSeventeenKeypoints_WithVisibility_InsideItsBox()
    {
        using var temp = new TempDirectory();
        string root = temp.Combine("figures");
        SyntheticFiguresDataset.Generate(Small, root, null, CancellationToken.None);
        using var stream = File.OpenRead(CocoLayout.KeypointsFile(root, CocoLayout.Train));
        var coco = JsonSerializer.Deserialize(stream, CocoJsonContext.Default.CocoInstances)!;

        var person = Assert.Single(coco.Categories);
        Assert.Equal(CocoPersonKeypoints.Names, person.Keypoints);
        Assert.Equal(CocoPersonKeypoints.Skeleton.Count, person.Skeleton!.Count);
        Assert.True(coco.Annotations.Count >= Small.TrainImages, "every image has at least one figure");
        int hidden = 0;
        foreach (var a in coco.Annotations)
        {
            var k = a.Keypoints!;
            Assert.Equal(3 * CocoPersonKeypoints.Count, k.Count);
            Assert.Equal(Enumerable.Range(0, 17).Count(j => k[3 * j + 2] > 0), a.NumKeypoints);
            Assert.True(a.NumKeypoints >= 10, $"figure {a.Id} keeps most of its keypoints in the image ({a.NumKeypoints})");
            Assert.NotNull(a.Segmentation?.Polygons);
            var (x, y, w, h) = (a.Bbox[0], a.Bbox[1], a.Bbox[2], a.Bbox[3]);
            for (int j = 0; j < 17; j++)
            {
                double v = k[3 * j + 2];
                Assert.Contains(v, new[] { 0.0, 1, 2 });
                if (v == 1) hidden++;
                if (v == 2)   // a visible keypoint lies on the visible silhouette, so inside its box (a pixel of slack for rounding)
                    Assert.True(k[3 * j] >= x - 1 && k[3 * j] <= x + w + 1 && k[3 * j + 1] >= y - 1 && k[3 * j + 1] <= y + h + 1,
                                $"keypoint {j} of figure {a.Id} lies outside its box");
            }
        }
        Assert.True(coco.Annotations.Sum(a => a.NumKeypoints) > hidden, "most labelled keypoints are visible");
    }
}
