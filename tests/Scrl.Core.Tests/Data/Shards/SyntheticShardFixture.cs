using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Datasets;
using Scrl.Core.Data.Synthetic;
using Scrl.Core.Tests.Support;

namespace Scrl.Core.Tests.Data.Shards;

/// <summary>A small synthetic COCO dataset, generated once per test class (generation is the slow part).</summary>
public sealed class SyntheticShardFixture : IDisposable
{
    private readonly TempDirectory _folder = new();

    public SyntheticShardFixture()
    {
        string root = _folder.Combine("coco");
        SyntheticShapesDataset.Generate(new SyntheticDatasetOptions { Seed = 5, TrainImages = 14, ValImages = 1, MinSide = 48, MaxSide = 96 },
                                        root, progress: null, CancellationToken.None);
        Dataset = CocoDatasetReader.Read(CocoLayout.AnnotationFile(root, CocoLayout.Train), CocoLayout.ImageFolder(root, CocoLayout.Train));
    }

    public ImageDataset Dataset { get; }

    /// <summary>A fresh empty folder under the fixture's temp folder.</summary>
    public string NewFolder() => Directory.CreateDirectory(_folder.Combine(Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose() => _folder.Dispose();
}
