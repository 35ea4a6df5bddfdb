using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Synthetic;
using Scrl.Core.Evaluation;
using Scrl.Core.Tests.Support;

namespace Scrl.Core.Tests.Evaluation;

/// <summary>A generated shapes dataset (8 categories = 4 shapes x 2 colour families), written once per test class.</summary>
public sealed class SyntheticRoiData : IDisposable
{
    private readonly TempDirectory _folder = new();

    public SyntheticRoiData()
    {
        SyntheticShapesDataset.Generate(new SyntheticDatasetOptions { TrainImages = 96, ValImages = 48, MinSide = 96, MaxSide = 128, MaxShapesPerImage = 4 },
                                        Root, progress: null, CancellationToken.None);
    }

    public string Root => Path.Combine(_folder.Path, "shapes");

    public string Scratch(string name) => Path.Combine(_folder.Path, name);

    /// <summary>
    /// Protocol settings for these ~110 px images: 320 px squares, so a shape of 20-40 px spans 2-4 C5 cells (at
    /// 160 px it falls in about one, and C5 then sees its colour but not its shape), 40 head epochs.
    /// </summary>
    public static RoiEvalOptions Options => new() { ImageSize = 320, Epochs = 40, RoiBatch = 32, ImageBatch = 8, Seed = 1 };

    public RoiEvalData Load(RoiEvalOptions options) =>
        RoiEvalData.Load(CocoSplitLocation.Parse(Root, CocoLayout.Train), CocoSplitLocation.Parse(Root, CocoLayout.Val), options);

    public void Dispose() => _folder.Dispose();
}
