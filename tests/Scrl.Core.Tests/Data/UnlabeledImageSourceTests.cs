using Scrl.Core.Data;
using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Synthetic;
using Scrl.Core.Tests.Support;

namespace Scrl.Core.Tests.Data;

public class UnlabeledImageSourceTests
{
    [Fact]
    public void FromImageFolder_ClassSubfolders_SortsOrdinallyAndLabelsByFirstLevelFolder()
    {
        using var temp = new TempDirectory();
        Write(temp.Combine("dog", "b.jpg"));
        Write(temp.Combine("cat", "deep", "nested", "z.png"));
        Write(temp.Combine("cat", "a.JPEG"));
        Write(temp.Combine("Zebra", "c.jpg"));
        File.WriteAllText(temp.Combine("cat", "readme.txt"), "not an image");

        var source = UnlabeledImageSource.FromImageFolder(temp.Path);

        Assert.Equal(["Zebra", "cat", "dog"], source.ClassNames);   // ordinal: upper case first
        Assert.Equal([temp.Combine("Zebra", "c.jpg"), temp.Combine("cat", "a.JPEG"), temp.Combine("cat", "deep", "nested", "z.png"), temp.Combine("dog", "b.jpg")],
                     source.Paths);
        Assert.Equal([0, 1, 1, 2], source.Labels!);
    }

    [Fact]
    public void FromImageFolder_ImagesAtRoot_HasNoLabels()
    {
        using var temp = new TempDirectory();
        Write(temp.Combine("x.jpg"));
        Write(temp.Combine("sub", "y.jpg"));

        var source = UnlabeledImageSource.FromImageFolder(temp.Path);

        Assert.Equal(2, source.Count);
        Assert.Null(source.Labels);
        Assert.Empty(source.ClassNames);
    }

    [Fact]
    public void FromImageFolder_NoImages_ThrowsNamingTheFolder()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("notes.txt"), "x");
        var error = Assert.Throws<InvalidDataException>(() => UnlabeledImageSource.FromImageFolder(temp.Path));
        Assert.Contains(temp.Path, error.Message);
    }

    [Fact]
    public void FromImageFolder_MissingFolder_ThrowsNamingTheFolder()
    {
        using var temp = new TempDirectory();
        var error = Assert.Throws<DirectoryNotFoundException>(() => UnlabeledImageSource.FromImageFolder(temp.Combine("absent")));
        Assert.Contains(temp.Combine("absent"), error.Message);
    }

    [Fact]
    public void FromCoco_SyntheticDataset_ListsImagesInFileOrder()
    {
        using var temp = new TempDirectory();
        string root = temp.Combine("shapes");
        SyntheticShapesDataset.Generate(new SyntheticDatasetOptions { TrainImages = 4, ValImages = 2, MinSide = 48, MaxSide = 64 },
                                        root, null, CancellationToken.None);

        var source = UnlabeledImageSource.FromCoco(CocoLayout.AnnotationFile(root, CocoLayout.Val), CocoLayout.ImageFolder(root, CocoLayout.Val));

        Assert.Equal(new[] { 1L, 2L }.Select(id => Path.Combine(CocoLayout.ImageFolder(root, CocoLayout.Val), CocoLayout.ImageFileName(id))), source.Paths);
        Assert.Null(source.Labels);
        Assert.Empty(source.FindUnreadable(parallelism: 2, CancellationToken.None));
    }

    [Theory]
    [InlineData("""{"images": [], "annotations": []}""")]
    [InlineData("""{"info": {}}""")]
    public void FromCoco_NoImages_ThrowsNamingTheFile(string json)
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("instances.json");
        File.WriteAllText(path, json);
        var error = Assert.Throws<InvalidDataException>(() => UnlabeledImageSource.FromCoco(path, temp.Path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void FromCoco_MissingFile_ThrowsNamingTheFile()
    {
        using var temp = new TempDirectory();
        var error = Assert.Throws<FileNotFoundException>(() => UnlabeledImageSource.FromCoco(temp.Combine("none.json"), temp.Path));
        Assert.Contains(temp.Combine("none.json"), error.Message);
    }

    [Fact]
    public void FindUnreadable_ReportsEveryBadFileAtOnce()
    {
        using var temp = new TempDirectory();
        for (int i = 0; i < 5; i++) Write(temp.Combine($"{i}.jpg"));
        var truncated = TestImages.NoiseJpeg(80, 60);
        File.WriteAllBytes(temp.Combine("1.jpg"), truncated[..(truncated.Length / 3)]);
        File.WriteAllText(temp.Combine("3.jpg"), "plain text");

        var bad = UnlabeledImageSource.FromImageFolder(temp.Path).FindUnreadable(parallelism: 2, CancellationToken.None);

        Assert.Equal([temp.Combine("1.jpg"), temp.Combine("3.jpg")], bad.Select(b => b.Path));
        Assert.All(bad, b => Assert.Contains(b.Path, b.Reason));
    }

    private static void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, TestImages.NoiseJpeg(16, 12));
    }
}
