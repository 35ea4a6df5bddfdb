using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Datasets;
using Scrl.Core.Data.Synthetic;
using Scrl.Core.Models;
using Scrl.Detection.Backbones;
using Scrl.Detection.RoiHeads;
using Scrl.Detection.Rpn;
using Scrl.Detection.Transform;

namespace Scrl.Detection.Tests.Support;

/// <summary>
/// A Faster R-CNN small enough to train on 2 CPU cores in minutes, and generated shape images for it.
/// </summary>
/// <remarks>
/// Profiled at 128 px, 4 images: R18 forward is ~0.2 s; the default heads (2000 proposals, 512 RoIs, 256-channel
/// FPN, 1024-wide fc6) add ~8 s forward and ~10 s backward, mostly RoIAlign and fc6 over 2048 RoIs. Shrinking the
/// proposals, RoI batch and widths brings a step to ~0.5 s without changing any code path.
/// </remarks>
public static class TinyDetector
{
    public const int ImageSize = 128;

    /// <summary>Random R18-FPN with BatchNorm (trained from scratch, so no frozen statistics) and small heads.</summary>
    public static FasterRcnnOptions Options(int numClasses) => new()
    {
        NumClasses = numClasses,
        Backbone = new BackboneOptions { Variant = ResNetVariant.ResNet18, Norm = BackboneNorm.BatchNorm, TrainableLayers = 5, FpnChannels = 32 },
        Transform = new TransformOptions { MinSize = [ImageSize], MaxSize = ImageSize },
        Rpn = new RpnOptions { PreNmsTopN = new(200, 100), PostNmsTopN = new(100, 50), BatchSizePerImage = 64 },
        BoxHead = new BoxHeadOptions { BatchSizePerImage = 64, RepresentationSize = 128 },
    };

    /// <summary>Generates <paramref name="trainImages"/> + <paramref name="valImages"/> images of 1–2 large shapes; returns the dataset root.</summary>
    public static string GenerateShapes(int trainImages, int valImages, long seed = 7)
    {
        string root = Path.Combine(Directory.CreateTempSubdirectory("tiny-detector").FullName, "shapes");
        var options = new SyntheticDatasetOptions
        {
            Seed = seed, TrainImages = trainImages, ValImages = valImages,
            MinSide = 96, MaxSide = ImageSize, MinShapesPerImage = 1, MaxShapesPerImage = 2,
        };
        SyntheticShapesDataset.Generate(options, root, null, CancellationToken.None);
        return root;
    }

    /// <summary>The split's records of a COCO-layout root.</summary>
    public static ImageDataset Read(string root, string split) =>
        CocoDatasetReader.Read(CocoLayout.AnnotationFile(root, split), CocoLayout.ImageFolder(root, split));
}
