using Scrl.Core.Training;
using Scrl.Detection.Backbones;
using Scrl.Detection.RoiHeads;
using Scrl.Detection.Rpn;
using Scrl.Detection.Transform;

namespace Scrl.Detection;

/// <summary>Faster R-CNN: transform, ResNet-FPN backbone, RPN and box RoI heads.</summary>
/// <remarks>
/// Mirrors torchvision models/detection/faster_rcnn.py FasterRCNN. Keys: backbone.body.*, backbone.fpn.*, rpn.head.*,
/// roi_heads.box_head.*, roi_heads.box_predictor.*: equal to torchvision's fasterrcnn_resnet50_fpn() state dict.
/// Losses: loss_classifier, loss_box_reg, loss_objectness, loss_rpn_box_reg.
/// </remarks>
public sealed class FasterRcnn : GeneralizedRcnn
{
    public FasterRcnn(BackboneWithFpn backbone, RegionProposalNetwork rpn, RoiHeads.RoiHeads roiHeads, GeneralizedRcnnTransform transform)
        : base(nameof(FasterRcnn), backbone, rpn, roiHeads, transform)
    {
    }

    public override DetectorKind Kind => DetectorKind.FasterRcnn;

    /// <summary>Builds every part with its defaults from <paramref name="options"/> (torchvision's fasterrcnn_resnet50_fpn).</summary>
    /// <param name="options">Settings per sub-module.</param>
    /// <param name="timer">Benchmarks only: records NMS and RoIAlign under <see cref="DetectionPhases"/>; null measures nothing.</param>
    public static FasterRcnn FromOptions(FasterRcnnOptions options, PhaseTimer? timer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (backbone, rpn, roiHeads) = BuildParts(options.Backbone, options.Rpn, options.BoxHead, options.NumClasses, timer);
        return new FasterRcnn(backbone, rpn, roiHeads, new GeneralizedRcnnTransform(options.Transform, timer));
    }
}
