using Scrl.Detection.Backbones;
using Scrl.Detection.RoiHeads;
using Scrl.Detection.Rpn;
using Scrl.Detection.Transform;

namespace Scrl.Detection;

/// <summary>Mask R-CNN R50-FPN settings, grouped per sub-module as torchvision's MaskRCNN arguments are.</summary>
public sealed record MaskRcnnOptions
{
    /// <summary>K: classes including background (91 for COCO's category ids), shared by the box and mask predictors.</summary>
    public int NumClasses { get; init; } = 91;

    public BackboneOptions Backbone { get; init; } = new();

    public TransformOptions Transform { get; init; } = new();

    public RpnOptions Rpn { get; init; } = new();

    public BoxHeadOptions BoxHead { get; init; } = new();

    public MaskHeadOptions MaskHead { get; init; } = new();
}
