using Scrl.Detection.Backbones;
using Scrl.Detection.Transform;

namespace Scrl.Detection;

/// <summary>RetinaNet R50-FPN settings (torchvision RetinaNet's arguments, same defaults).</summary>
public sealed record RetinaNetOptions
{
    /// <summary>The FPN RetinaNet reads: C3..C5 in, P3..P7 out.</summary>
    public static BackboneOptions BackboneLayout { get; } = new() { ReturnedLayers = [2, 3, 4], ExtraLevels = FpnExtraLevels.P6P7 };

    /// <summary>K: classification outputs per anchor (91 for COCO's category ids; label 0 is never a target).</summary>
    public int NumClasses { get; init; } = 91;

    public BackboneOptions Backbone { get; init; } = BackboneLayout;

    public TransformOptions Transform { get; init; } = new();

    /// <summary>Detections below this class probability are dropped at test time.</summary>
    public double ScoreThreshold { get; init; } = 0.05;

    public double NmsThreshold { get; init; } = 0.5;

    public int DetectionsPerImage { get; init; } = 300;

    /// <summary>Candidates kept per level before NMS.</summary>
    public int TopkCandidates { get; init; } = 1000;

    /// <summary>Anchors with IoU at or above this are foreground.</summary>
    public double FgIouThreshold { get; init; } = 0.5;

    /// <summary>Anchors with IoU below this are background; between the two they are ignored.</summary>
    public double BgIouThreshold { get; init; } = 0.4;

    public double FocalAlpha { get; init; } = 0.25;

    public double FocalGamma { get; init; } = 2.0;
}
