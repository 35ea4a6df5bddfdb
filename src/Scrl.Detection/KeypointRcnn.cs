using Scrl.Core.Training;
using Scrl.Detection.Backbones;
using Scrl.Detection.RoiHeads;
using Scrl.Detection.Rpn;
using Scrl.Detection.Transform;

namespace Scrl.Detection;

/// <summary>Keypoint R-CNN: Faster R-CNN whose RoI heads add a keypoint branch (J heatmaps per box).</summary>
/// <remarks>
/// Mirrors torchvision models/detection/keypoint_rcnn.py KeypointRCNN. Keys: Faster R-CNN's plus
/// roi_heads.keypoint_head.{0,2,..,14}.* and roi_heads.keypoint_predictor.kps_score_lowres.*: equal to torchvision's
/// keypointrcnn_resnet50_fpn() state dict. Losses: Faster R-CNN's and loss_keypoint. Detections carry
/// <see cref="Detections.Keypoints"/> and <see cref="Detections.KeypointScores"/>; targets need
/// <see cref="DetectionTarget.Keypoints"/>.
/// </remarks>
public sealed class KeypointRcnn : GeneralizedRcnn
{
    public KeypointRcnn(BackboneWithFpn backbone, RegionProposalNetwork rpn, RoiHeads.RoiHeads roiHeads, GeneralizedRcnnTransform transform)
        : base(nameof(KeypointRcnn), backbone, rpn, roiHeads, transform)
    {
    }

    public override DetectorKind Kind => DetectorKind.KeypointRcnn;

    /// <summary>Builds every part with its defaults from <paramref name="options"/> (torchvision's keypointrcnn_resnet50_fpn).</summary>
    /// <param name="options">Settings per sub-module.</param>
    /// <param name="timer">Benchmarks only: records NMS and the box branch's RoIAlign under <see cref="DetectionPhases"/>; null measures nothing.</param>
    public static KeypointRcnn FromOptions(KeypointRcnnOptions options, PhaseTimer? timer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (backbone, rpn, roiHeads) = BuildParts(options.Backbone, options.Rpn, options.BoxHead, options.NumClasses, timer,
            channels => KeypointBranch.FromOptions(channels, options.KeypointHead, timer));
        return new KeypointRcnn(backbone, rpn, roiHeads, new GeneralizedRcnnTransform(options.Transform, timer));
    }
}
