using Scrl.Core.Data.Datasets;
using Scrl.Core.Tests.Support;

namespace Scrl.Core.Tests.Data.Datasets;

public sealed class ImageFolderDatasetReaderTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Read_NestedImages_SortedByPathWithHeaderSizesAndNoInstances()
    {
        Directory.CreateDirectory(_root.Combine("b"));
        File.WriteAllBytes(_root.Combine("b", "x.jpg"), TestImages.NoiseJpeg(30, 20));
        File.WriteAllBytes(_root.Combine("a.jpg"), TestImages.NoiseJpeg(16, 12));

        var dataset = ImageFolderDatasetReader.Read(_root.Path);

        Assert.Equal(["a.jpg", "b/x.jpg"], dataset.Records.Select(r => r.ImageId));
        Assert.Equal([(16, 12), (30, 20)], dataset.Records.Select(r => (r.Width, r.Height)));
        Assert.All(dataset.Records, r => Assert.Empty(r.Instances));
        Assert.Empty(dataset.Categories);
        Assert.True(DatasetValidator.Validate(dataset, new DatasetValidationOptions { Parallelism = 1 }).IsValid);
    }
}
