using Scrl.Core.Training;
using Scrl.Detection.Backbones;
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
        var (backbone, rpn, roiHeads) = BuildParts(options.Backbone, options.Rpn, options.BoxHead, options.NumClasses, timer,
            channels => MaskRcnnBranch.FromOptions(options.MaskHead, channels, options.NumClasses, timer));
        return new MaskRcnn(backbone, rpn, roiHeads, new GeneralizedRcnnTransform(options.Transform, timer));
    }
}
