using Scrl.Detection.Backbones;
using Scrl.Detection.Transform;

namespace Scrl.Detection;

/// <summary>Sparse R-CNN R50-FPN settings: the authors' config (projects/SparseRCNN/sparsercnn/config.py), same defaults.</summary>
public sealed record SparseRcnnOptions
{
    /// <summary>K: sigmoid class outputs per proposal (91 for COCO's category ids; label 0 is never a target).</summary>
    public int NumClasses { get; init; } = 91;

    public BackboneOptions Backbone { get; init; } = new();

    public TransformOptions Transform { get; init; } = new();

    /// <summary>N learnable proposal boxes and features: 100, or 300 for the paper's "*" setting.</summary>
    public int Proposals { get; init; } = 100;

    /// <summary>Iterative dynamic heads, each refining the previous one's boxes.</summary>
    public int Stages { get; init; } = 6;

    /// <summary>Width of the proposal features (the FPN's channels).</summary>
    public int HiddenDim { get; init; } = 256;

    public int FeedforwardDim { get; init; } = 2048;

    public int AttentionHeads { get; init; } = 8;

    /// <summary>Width of the dynamic convolutions' bottleneck.</summary>
    public int DynamicDim { get; init; } = 64;

    /// <summary>Linear + LayerNorm + ReLU blocks before the class logits.</summary>
    public int ClassLayers { get; init; } = 1;

    /// <summary>Linear + LayerNorm + ReLU blocks before the box deltas.</summary>
    public int RegressionLayers { get; init; } = 3;

    /// <summary>S of the 7x7 RoIAlign (detectron2's ROIAlignV2, sampling ratio 2).</summary>
    public int PoolSize { get; init; } = 7;

    /// <summary>Prior probability the class bias starts at.</summary>
    public double PriorProbability { get; init; } = 0.01;

    public double FocalAlpha { get; init; } = 0.25;

    public double FocalGamma { get; init; } = 2.0;

    /// <summary>Weight of the focal term in the matching cost and the loss.</summary>
    public double ClassWeight { get; init; } = 2.0;

    /// <summary>Weight of the L1 distance between boxes normalised by the image size.</summary>
    public double L1Weight { get; init; } = 5.0;

    public double GiouWeight { get; init; } = 2.0;

    /// <summary>Detections per image at test time: the top scores over proposal x class, with no NMS.</summary>
    public int DetectionsPerImage { get; init; } = 100;

    /// <summary>Detections below this class probability are dropped at test time (the authors keep all).</summary>
    public double ScoreThreshold { get; init; }
}
