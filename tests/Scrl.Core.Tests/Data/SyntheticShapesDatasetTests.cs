using System.Text.Json;
using Scrl.Core.Data;
using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Synthetic;
using Scrl.Core.Tests.Support;

namespace Scrl.Core.Tests.Data;

public class SyntheticShapesDatasetTests
{
    private static readonly SyntheticDatasetOptions Small = new()
    {
        Seed = 7, TrainImages = 8, ValImages = 3, MinSide = 64, MaxSide = 128,
    };

    [Fact]
    public void Generate_SameSeed_WritesByteIdenticalFiles()
    {
        using var temp = new TempDirectory();
        SyntheticShapesDataset.Generate(Small, temp.Combine("a"), null, CancellationToken.None);
        SyntheticShapesDataset.Generate(Small, temp.Combine("b"), null, CancellationToken.None);

        var filesA = RelativeFiles(temp.Combine("a"));
        Assert.Equal(filesA, RelativeFiles(temp.Combine("b")));
        Assert.Equal(Small.TrainImages + Small.ValImages + 2, filesA.Count);
        foreach (var file in filesA)
            Assert.True(File.ReadAllBytes(temp.Combine("a", file)).AsSpan().SequenceEqual(File.ReadAllBytes(temp.Combine("b", file))),
                        $"{file} differs between two runs with the same seed");
    }

    [Fact]
    public void Generate_DifferentSeed_WritesDifferentImages()
    {
        using var temp = new TempDirectory();
        SyntheticShapesDataset.Generate(Small, temp.Combine("a"), null, CancellationToken.None);
        SyntheticShapesDataset.Generate(Small with { Seed = 8 }, temp.Combine("b"), null, CancellationToken.None);
        string first = Path.Combine(CocoLayout.ImageFolder(".", CocoLayout.Train), CocoLayout.ImageFileName(1));
        Assert.NotEqual(File.ReadAllBytes(temp.Combine("a", first)), File.ReadAllBytes(temp.Combine("b", first)));
    }

    [Fact]
    public void Generate_Annotations_AreValidCocoInstances()
    {
        using var temp = new TempDirectory();
        string root = temp.Combine("shapes");
        int reported = 0;
        SyntheticShapesDataset.Generate(Small, root, new SynchronousProgress(n => reported = n), CancellationToken.None);
        Assert.Equal(Small.TrainImages + Small.ValImages, reported);

        foreach (var (split, expectedImages) in new[] { (CocoLayout.Train, Small.TrainImages), (CocoLayout.Val, Small.ValImages) })
        {
            var coco = ReadInstances(CocoLayout.AnnotationFile(root, split));
            Assert.NotNull(coco.Info);
            Assert.True(coco.Info.Synthetic);
            Assert.Contains("SYNTHETIC", coco.Info.Description);
            Assert.Equal(Small.Seed, coco.Info.Seed);
            Assert.Equal(8, coco.Categories.Count);
            Assert.Equal(expectedImages, coco.Images.Count);
            Assert.True(coco.Annotations.Count >= expectedImages, "every image has at least one shape");
            Assert.Equal(coco.Annotations.Count, coco.Annotations.Select(a => a.Id).Distinct().Count());

            var images = coco.Images.ToDictionary(i => i.Id);
            var categoryIds = coco.Categories.Select(c => c.Id).ToHashSet();
            foreach (var a in coco.Annotations)
            {
                var image = images[a.ImageId];
                Assert.Contains(a.CategoryId, categoryIds);
                Assert.True(a.Area > 0, $"annotation {a.Id} has area {a.Area}");
                var (x, y, w, h) = (a.Bbox[0], a.Bbox[1], a.Bbox[2], a.Bbox[3]);
                Assert.True(w > 0 && h > 0 && x >= 0 && y >= 0 && x + w <= image.Width + 1e-6 && y + h <= image.Height + 1e-6,
                            $"box {string.Join(",", a.Bbox)} outside image {image.Width}x{image.Height}");
                Assert.True(a.Area <= w * h + 1e-6, $"annotation {a.Id}: area {a.Area} exceeds its box");
                Assert.NotEmpty(a.Segmentation?.Polygons ?? []);
                foreach (var polygon in a.Segmentation!.Polygons!)
                {
                    Assert.True(polygon.Count >= 6 && polygon.Count % 2 == 0, $"annotation {a.Id} has a degenerate polygon");
                    for (int k = 0; k < polygon.Count; k += 2)
                        Assert.True(polygon[k] >= x - 1e-6 && polygon[k] <= x + w + 1e-6 && polygon[k + 1] >= y - 1e-6 && polygon[k + 1] <= y + h + 1e-6,
                                    $"annotation {a.Id}: vertex ({polygon[k]}, {polygon[k + 1]}) outside its box");
                }
            }

            foreach (var image in coco.Images)
            {
                using var pixels = ImageDecoder.DecodeFile(Path.Combine(CocoLayout.ImageFolder(root, split), image.FileName));
                Assert.Equal(new long[] { 3, image.Height, image.Width }, pixels.shape);
            }
        }
    }

    [Fact]
    public void Generate_ExistingTarget_Throws()
    {
        using var temp = new TempDirectory();
        Assert.Throws<IOException>(() => SyntheticShapesDataset.Generate(Small, temp.Path, null, CancellationToken.None));
    }

    [Fact]
    public void Generate_Cancelled_LeavesNoPartialDataset()
    {
        using var temp = new TempDirectory();
        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress(n => { if (n == 3) cts.Cancel(); });

        Assert.ThrowsAny<OperationCanceledException>(() => SyntheticShapesDataset.Generate(Small, temp.Combine("shapes"), progress, cts.Token));
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Fact]
    public void Options_Invalid_ReportsEveryProblem()
    {
        var errors = new SyntheticDatasetOptions { MinSide = 8, MaxSide = 4, JpegQuality = 0 }.Validate();
        Assert.Equal(["synthetic.minSide", "synthetic.maxSide", "synthetic.jpegQuality"], errors.Select(e => e.Path));
    }

    private static CocoInstances ReadInstances(string path)
    {
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize(stream, CocoJsonContext.Default.CocoInstances)
               ?? throw new InvalidDataException($"{path} is empty");
    }

    private static List<string> RelativeFiles(string root) =>
        [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal)];

    /// <summary><see cref="Progress{T}"/> posts to the thread pool; tests need the callback inline.</summary>
    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
