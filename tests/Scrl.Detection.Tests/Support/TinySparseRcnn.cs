using Scrl.Core.Models;
using Scrl.Detection.Backbones;
using Scrl.Detection.Training;
using Scrl.Detection.Transform;

namespace Scrl.Detection.Tests.Support;

/// <summary>A Sparse R-CNN small enough to train on 2 CPU cores in minutes: R18-FPN, 64-wide proposals, every code path of the full one.</summary>
public static class TinySparseRcnn
{
    /// <summary>Random R18-FPN with BatchNorm, 64 channels throughout (8 heads of 8), 50 proposals, the authors' six stages.</summary>
    public static SparseRcnnOptions Options(int numClasses) => new()
    {
        NumClasses = numClasses,
        Backbone = new BackboneOptions { Variant = ResNetVariant.ResNet18, Norm = BackboneNorm.BatchNorm, TrainableLayers = 5, FpnChannels = 64 },
        Transform = new TransformOptions { MinSize = [TinyDetector.ImageSize], MaxSize = TinyDetector.ImageSize },
        Proposals = 50,
        HiddenDim = 64,
        FeedforwardDim = 256,
        DynamicDim = 16,
    };

    /// <summary><paramref name="schedule"/> with the authors' optimizer: AdamW, weight decay 1e-4, gradient norm clipped to 1.</summary>
    public static FinetuneOptions Schedule(FinetuneOptions schedule) =>
        schedule with { Optimizer = FinetuneOptimizer.AdamW, WeightDecay = 1e-4, GradientClipNorm = 1.0 };
}
