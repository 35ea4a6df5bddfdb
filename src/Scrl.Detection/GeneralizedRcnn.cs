using Scrl.Core.Training;
using Scrl.Detection.Backbones;
using Scrl.Detection.Poolers;
using Scrl.Detection.RoiHeads;
using Scrl.Detection.Rpn;
using Scrl.Detection.Transform;
using static TorchSharp.torch;

namespace Scrl.Detection;

// Shapes: N images, each [3, H_i, W_i] float in [0, 1]; boxes xyxy px of the original images.

/// <summary>Transform, ResNet-FPN backbone, region proposals and RoI heads: the two-stage family.</summary>
/// <remarks>
/// Mirrors torchvision models/detection/generalized_rcnn.py GeneralizedRCNN. Keys: backbone.*, rpn.*, roi_heads.*.
/// Faster R-CNN is this with box heads only; Mask and keypoint R-CNN add branches to the RoI heads, so their
/// state dicts stay torchvision's.
/// </remarks>
public abstract class GeneralizedRcnn : Detector
{
    private readonly BackboneWithFpn _backbone;
    private readonly RegionProposalNetwork _rpn;
    private readonly RoiHeads.RoiHeads _roiHeads;
    private readonly GeneralizedRcnnTransform _transform;

    protected GeneralizedRcnn(string name, BackboneWithFpn backbone, RegionProposalNetwork rpn, RoiHeads.RoiHeads roiHeads, GeneralizedRcnnTransform transform)
        : base(name)
    {
        _backbone = backbone;
        _rpn = rpn;
        _roiHeads = roiHeads;
        _transform = transform;
        // Registered by hand: reflection on a derived type does not see these private fields. The names are the keys.
        register_module("backbone", backbone);
        register_module("rpn", rpn);
        register_module("roi_heads", roiHeads);
    }

    public override BackboneWithFpn Backbone => _backbone;

    /// <summary>The parts every R-CNN shares, as torchvision's *_resnet50_fpn builders make them: the ResNet-FPN backbone,
    /// the RPN on the FPN's default anchors, and the box RoI heads carrying <paramref name="branch"/>, if any.</summary>
    /// <param name="branch">Builds the mask or keypoint branch from the FPN's channel count.</param>
    /// <param name="timer">Benchmarks only: records NMS and every RoIAlign under <see cref="DetectionPhases"/>.</param>
    protected static (BackboneWithFpn Backbone, RegionProposalNetwork Rpn, RoiHeads.RoiHeads RoiHeads) BuildParts(
        BackboneOptions backboneOptions, RpnOptions rpnOptions, BoxHeadOptions box, int numClasses, PhaseTimer? timer, Func<long, RoiBranch>? branch = null)
    {
        var backbone = BackboneWithFpn.FromOptions(backboneOptions);
        var anchors = AnchorGenerator.FpnDefault();
        var rpn = new RegionProposalNetwork(anchors, new RpnHead(backbone.OutChannels, anchors.AnchorsPerLocation), rpnOptions, timer);
        var pool = new MultiScaleRoiAlign(["0", "1", "2", "3"], box.PoolSize, box.SamplingRatio, timer);
        var head = new TwoMlpHead(backbone.OutChannels * box.PoolSize * box.PoolSize, box.RepresentationSize);
        var predictor = new FastRcnnPredictor(box.RepresentationSize, numClasses);
        var roiHeads = new RoiHeads.RoiHeads(pool, head, predictor, box, timer, branch is null ? null : [branch(backbone.OutChannels)]);
        return (backbone, rpn, roiHeads);
    }

    /// <summary>The RPN proposals (resized-image px) and the transformed batch, for parity checks and inspection.</summary>
    public (IReadOnlyList<Tensor> Proposals, ImageList Batch) Propose(IReadOnlyList<Tensor> images)
    {
        var (batch, _) = _transform.Apply(images, null, null);
        var features = _backbone.call(batch.Tensors);
        return (_rpn.Forward(batch, features.Values.ToList(), null, null).Proposals, batch);
    }

    protected override IReadOnlyList<Detections> Detect(IReadOnlyList<Tensor> images)
    {
        using var scope = NewDisposeScope();
        var (batch, _) = _transform.Apply(images, null, null);
        var features = _backbone.call(batch.Tensors);
        var (proposals, _) = _rpn.Forward(batch, features.Values.ToList(), null, null);
        var detections = _roiHeads.Detect(features, proposals, batch.ImageSizes);
        return GeneralizedRcnnTransform.ToOriginalSizes(detections, batch.ImageSizes, images, _transform.Timer);
    }

    protected override DetectorLosses ComputeLosses(IReadOnlyList<Tensor> images, IReadOnlyList<DetectionTarget> targets, Generator? generator)
    {
        var (batch, resized) = _transform.Apply(images, targets, generator);
        var features = _backbone.call(batch.Tensors);
        var (proposals, rpnLosses) = _rpn.Forward(batch, features.Values.ToList(), resized, generator);
        var heads = _roiHeads.Losses(features, proposals, batch.ImageSizes, resized!, generator);
        var terms = new Dictionary<string, Tensor>(heads)
        {
            ["loss_objectness"] = rpnLosses!.Value.Objectness,
            ["loss_rpn_box_reg"] = rpnLosses.Value.BoxReg,
        };
        return new DetectorLosses(terms);
    }
}
