using Scrl.Core.Training;
using Scrl.Detection.Backbones;
using Scrl.Detection.Poolers;
using Scrl.Detection.RoiHeads;
using Scrl.Detection.Rpn;
using Scrl.Detection.Transform;

namespace Scrl.Detection;

/// <summary>Mask R-CNN: Faster R-CNN whose RoI heads also predict an instance mask per detection.</summary>
/// <remarks>
/// Mirrors torchvision models/detection/mask_rcnn.py MaskRCNN as maskrcnn_resnet50_fpn builds it. Keys: Faster
/// R-CNN's plus roi_heads.mask_head.{0..3}.0.*, roi_heads.mask_predictor.{conv5_mask,mask_fcn_logits}.*: equal to
/// torchvision's maskrcnn_resnet50_fpn() state dict. Losses: Faster R-CNN's plus loss_mask (targets need Masks).
/// Detections carry Masks [D, 1, H, W]: probabilities pasted into the original image, not thresholded (evaluation
/// and export binarise them at 0.5, as torchvision's users do).
/// </remarks>
public sealed class MaskRcnn : GeneralizedRcnn
{
    public MaskRcnn(BackboneWithFpn backbone, RegionProposalNetwork rpn, RoiHeads.RoiHeads roiHeads, GeneralizedRcnnTransform transform)
        : base(nameof(MaskRcnn), backbone, rpn, roiHeads, transform)
    {
    }

    public override DetectorKind Kind => DetectorKind.MaskRcnn;

    /// <summary>Builds every part with its defaults from <paramref name="options"/> (torchvision's maskrcnn_resnet50_fpn).</summary>
    /// <param name="options">Settings per sub-module.</param>
    /// <param name="timer">Benchmarks only: records NMS, every RoIAlign and mask pasting under <see cref="DetectionPhases"/>; null measures nothing.</param>
    public static MaskRcnn FromOptions(MaskRcnnOptions options, PhaseTimer? timer = null)
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
        var mask = MaskRcnnBranch.FromOptions(options.MaskHead, backbone.OutChannels, options.NumClasses, timer);
        var roiHeads = new RoiHeads.RoiHeads(pool, head, predictor, box, timer, branches: [mask]);
        return new MaskRcnn(backbone, rpn, roiHeads, new GeneralizedRcnnTransform(options.Transform, timer));
    }
}
