using Scrl.Core.Training;
using Scrl.Detection.Backbones;
using Scrl.Detection.Poolers;
using Scrl.Detection.RoiHeads;
using Scrl.Detection.Rpn;
using Scrl.Detection.Transform;
using static TorchSharp.torch;

namespace Scrl.Detection;

// Shapes: N images, each [3, H_i, W_i] float in [0, 1]; boxes xyxy px of the original images.

/// <summary>Faster R-CNN: transform, ResNet-FPN backbone, RPN and box RoI heads.</summary>
/// <remarks>
/// Mirrors torchvision models/detection/faster_rcnn.py FasterRCNN (GeneralizedRCNN). Keys: backbone.body.*,
/// backbone.fpn.*, rpn.head.*, roi_heads.box_head.*, roi_heads.box_predictor.*: equal to
/// torchvision's fasterrcnn_resnet50_fpn() state dict.
/// </remarks>
public sealed class FasterRcnn : nn.Module<IReadOnlyList<Tensor>, IReadOnlyList<Detections>>
{
    // Field names are the state-dict keys: never rename.
    private readonly BackboneWithFpn backbone;
    private readonly RegionProposalNetwork rpn;
    private readonly RoiHeads.RoiHeads roi_heads;

    private readonly GeneralizedRcnnTransform _transform;

    public FasterRcnn(BackboneWithFpn backbone, RegionProposalNetwork rpn, RoiHeads.RoiHeads roiHeads, GeneralizedRcnnTransform transform)
        : base(nameof(FasterRcnn))
    {
        this.backbone = backbone;
        this.rpn = rpn;
        roi_heads = roiHeads;
        _transform = transform;
        RegisterComponents();
    }

    /// <summary>The backbone, e.g. to load pretrained body weights.</summary>
    public BackboneWithFpn Backbone => backbone;

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

    /// <summary>Inference (call <c>eval()</c> first).</summary>
    /// <param name="images">Each [3, H_i, W_i] float in [0, 1].</param>
    /// <returns>Per image, detections in its original pixels.</returns>
    public override IReadOnlyList<Detections> forward(IReadOnlyList<Tensor> images)
    {
        if (training) throw new InvalidOperationException("FasterRcnn.forward is inference; call eval() first, or Losses() to train.");
        using var scope = NewDisposeScope();
        var (batch, _) = _transform.Apply(images, null, null);
        var features = backbone.call(batch.Tensors);
        var (proposals, _) = rpn.Forward(batch, features.Values.ToList(), null, null);
        var detections = roi_heads.Detect(features, proposals, batch.ImageSizes);
        var result = new List<Detections>(images.Count);
        for (int i = 0; i < images.Count; i++)
        {
            var d = detections[i];
            var boxes = GeneralizedRcnnTransform.Postprocess(d.Boxes, batch.ImageSizes[i], (images[i].shape[1], images[i].shape[2]));
            result.Add(new Detections(boxes.MoveToOuterDisposeScope(), d.Scores.MoveToOuterDisposeScope(), d.Labels.MoveToOuterDisposeScope()));
        }
        return result;
    }

    /// <summary>Inference plus the intermediate RPN proposals (resized-image px), for parity checks and inspection.</summary>
    public (IReadOnlyList<Tensor> Proposals, ImageList Batch) Propose(IReadOnlyList<Tensor> images)
    {
        var (batch, _) = _transform.Apply(images, null, null);
        var features = backbone.call(batch.Tensors);
        return (rpn.Forward(batch, features.Values.ToList(), null, null).Proposals, batch);
    }

    /// <summary>Training losses (call <c>train()</c> first).</summary>
    /// <param name="images">Each [3, H_i, W_i] float in [0, 1].</param>
    /// <param name="targets">Ground truth in each image's pixels.</param>
    /// <param name="generator">Seeded source for the min-size draw and both samplers; null uses the default generator.</param>
    public FasterRcnnLosses Losses(IReadOnlyList<Tensor> images, IReadOnlyList<DetectionTarget> targets, Generator? generator)
    {
        if (!training) throw new InvalidOperationException("Losses need train() mode.");
        var (batch, resized) = _transform.Apply(images, targets, generator);
        var features = backbone.call(batch.Tensors);
        var (proposals, rpnLosses) = rpn.Forward(batch, features.Values.ToList(), resized, generator);
        var (classifier, boxReg) = roi_heads.Losses(features, proposals, batch.ImageSizes, resized!, generator);
        return new FasterRcnnLosses(classifier, boxReg, rpnLosses!.Value.Objectness, rpnLosses.Value.BoxReg);
    }
}
