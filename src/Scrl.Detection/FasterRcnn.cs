using Scrl.Core.Training;
using Scrl.Detection.Backbones;
using Scrl.Detection.Poolers;
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
        var backbone = BackboneWithFpn.FromOptions(options.Backbone);
        var anchors = AnchorGenerator.FpnDefault();
        var rpnHead = new RpnHead(backbone.OutChannels, anchors.AnchorsPerLocation);
        var rpn = new RegionProposalNetwork(anchors, rpnHead, options.Rpn, timer);
        var box = options.BoxHead;
        var pool = new MultiScaleRoiAlign(["0", "1", "2", "3"], box.PoolSize, box.SamplingRatio, timer);
        var head = new TwoMlpHead(backbone.OutChannels * box.PoolSize * box.PoolSize, box.RepresentationSize);
        var predictor = new FastRcnnPredictor(box.RepresentationSize, options.NumClasses);
        var roiHeads = new RoiHeads.RoiHeads(pool, head, predictor, box, timer);
        return new FasterRcnn(backbone, rpn, roiHeads, new GeneralizedRcnnTransform(options.Transform));
    }
}
