using Scrl.Detection.Backbones;
using Scrl.Detection.RoiHeads;
using Scrl.Detection.Rpn;
using Scrl.Detection.Transform;

namespace Scrl.Detection;

/// <summary>Keypoint R-CNN R50-FPN settings: Faster R-CNN's groups plus the keypoint branch, with keypointrcnn_resnet50_fpn's defaults.</summary>
public sealed record KeypointRcnnOptions
{
    /// <summary>KeypointRCNN's own training sizes: the shortest side is drawn from 640..800 per image; testing uses the last.</summary>
    public static TransformOptions DefaultTransform { get; } = new() { MinSize = [640, 672, 704, 736, 768, 800] };

    /// <summary>K: classes including background (2: background and person).</summary>
    public int NumClasses { get; init; } = 2;

    public BackboneOptions Backbone { get; init; } = new();

    public TransformOptions Transform { get; init; } = DefaultTransform;

    public RpnOptions Rpn { get; init; } = new();

    public BoxHeadOptions BoxHead { get; init; } = new();

    public KeypointHeadOptions KeypointHead { get; init; } = new();
}
