using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Datasets;
using Scrl.Core.Data.Synthetic;

namespace Scrl.Cli.Tests.Support;

/// <summary>A small synthetic COCO dataset in a temp folder, generated once per test class; tests copy it before changing it.</summary>
public sealed class GeneratedCoco : IDisposable
{
    public GeneratedCoco()
    {
        Directory.CreateDirectory(Folder);
        SyntheticShapesDataset.Generate(new SyntheticDatasetOptions { Seed = 11, TrainImages = 12, ValImages = 1, MinSide = 64, MaxSide = 112 },
                                        Root, progress: null, CancellationToken.None);
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "scrl-cli-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>The COCO root (train and val splits).</summary>
    public string Root => Path.Combine(Folder, "coco");

    public ImageDataset ReadTrain(string? root = null) => DatasetReaders.Read(DatasetFormat.Coco, root ?? Root, CocoLayout.Train);

    public ImageDataset ReadVal() => DatasetReaders.Read(DatasetFormat.Coco, Root, CocoLayout.Val);

    /// <summary>A fresh empty folder under <see cref="Folder"/>.</summary>
    public string NewFolder() => Directory.CreateDirectory(Path.Combine(Folder, Guid.NewGuid().ToString("N"))).FullName;

    /// <summary>A private copy of the dataset that a test may damage.</summary>
    public string CopyRoot()
    {
        string copy = NewFolder();
        foreach (string file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(copy, Path.GetRelativePath(Root, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return copy;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
