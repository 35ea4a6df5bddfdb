using Scrl.Core.Training;
using Scrl.Detection.Backbones;
using Scrl.Detection.Retina;
using Scrl.Detection.Rpn;
using Scrl.Detection.Transform;
using static TorchSharp.torch;

namespace Scrl.Detection;

// Shapes: N images, each [3, H_i, W_i] float in [0, 1]; boxes xyxy px of the original images.
// Inside: T anchors per image over P3..P7, K classes.

/// <summary>RetinaNet: transform, ResNet-FPN backbone (P3..P7), dense classification and box heads, focal loss.</summary>
/// <remarks>
/// Mirrors torchvision models/detection/retinanet.py RetinaNet. Keys: backbone.body.*, backbone.fpn.* (with
/// extra_blocks.p6/p7), head.classification_head.*, head.regression_head.*: equal to torchvision's
/// retinanet_resnet50_fpn() state dict. Losses: classification, bbox_regression. Training draws nothing at random
/// beyond the transform's shortest side.
/// </remarks>
public sealed class RetinaNet : Detector
{
    // Field names are the state-dict keys: never rename.
    private readonly BackboneWithFpn backbone;
    private readonly RetinaNetHead head;

    private readonly AnchorGenerator _anchors;
    private readonly GeneralizedRcnnTransform _transform;
    private readonly RetinaNetLoss _loss;
    private readonly RetinaNetPostprocess _postprocess;

    public RetinaNet(BackboneWithFpn backbone, RetinaNetHead head, AnchorGenerator anchors, GeneralizedRcnnTransform transform,
                     RetinaNetOptions options, PhaseTimer? timer = null)
        : base(nameof(RetinaNet))
    {
        ArgumentNullException.ThrowIfNull(options);
        if (anchors.Sizes.Count != backbone.OutputShapes.Count)
            throw new ArgumentException($"{anchors.Sizes.Count} anchor levels for a backbone with {backbone.OutputShapes.Count} levels " +
                                        $"({string.Join(", ", backbone.OutputShapes.Keys)}).", nameof(anchors));
        this.backbone = backbone;
        this.head = head;
        _anchors = anchors;
        _transform = transform;
        _loss = new RetinaNetLoss(options);
        _postprocess = new RetinaNetPostprocess(options, timer);
        RegisterComponents();
    }

    public override DetectorKind Kind => DetectorKind.RetinaNet;

    public override BackboneWithFpn Backbone => backbone;

    /// <summary>Builds every part with its defaults from <paramref name="options"/> (torchvision's retinanet_resnet50_fpn).</summary>
    /// <param name="options">Settings; the backbone should have <see cref="RetinaNetOptions.BackboneLayout"/>'s levels.</param>
    /// <param name="timer">Benchmarks only: records NMS under <see cref="DetectionPhases"/>; null measures nothing.</param>
    public static RetinaNet FromOptions(RetinaNetOptions options, PhaseTimer? timer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var backbone = BackboneWithFpn.FromOptions(options.Backbone);
        var anchors = RetinaNetAnchors.Default();
        var head = new RetinaNetHead(backbone.OutChannels, anchors.AnchorsPerLocation, options.NumClasses);
        return new RetinaNet(backbone, head, anchors, new GeneralizedRcnnTransform(options.Transform), options, timer);
    }

    /// <summary>The transformed batch, its anchors and the raw head outputs, for parity checks and inspection.</summary>
    /// <returns>The padded batch, anchors [T, 4] with T_l per level, class logits [N, T, K] and box deltas [N, T, 4].</returns>
    public (ImageList Batch, Tensor Anchors, long[] CountPerLevel, Tensor ClassLogits, Tensor BoxRegression) HeadOutputs(IReadOnlyList<Tensor> images)
    {
        var device = Device;
        var (batch, _) = _transform.Apply(images.Select(i => i.to(device)).ToList(), null, null);
        var (features, anchors, counts) = Features(batch);
        var (logits, deltas) = head.call(features);
        return (batch, anchors, counts, logits, deltas);
    }

    protected override IReadOnlyList<Detections> Detect(IReadOnlyList<Tensor> images)
    {
        using var scope = NewDisposeScope();
        var (batch, _) = _transform.Apply(images, null, null);
        var (features, anchors, counts) = Features(batch);
        var (logits, deltas) = head.call(features);
        var detections = _postprocess.Detect(logits, deltas, anchors, counts, batch.ImageSizes);
        return GeneralizedRcnnTransform.ToOriginalSizes(detections, batch.ImageSizes, images);
    }

    protected override DetectorLosses ComputeLosses(IReadOnlyList<Tensor> images, IReadOnlyList<DetectionTarget> targets, Generator? generator)
    {
        using var scope = NewDisposeScope();
        var (batch, resized) = _transform.Apply(images, targets, generator);
        var (features, anchors, _) = Features(batch);
        var (logits, deltas) = head.call(features);
        var (classification, boxRegression) = _loss.Compute(logits, deltas, anchors, resized!);
        return new DetectorLosses(new Dictionary<string, Tensor>
        {
            ["classification"] = classification.MoveToOuterDisposeScope(),
            ["bbox_regression"] = boxRegression.MoveToOuterDisposeScope(),
        });
    }

    /// <returns>FPN levels [N, D, H_l, W_l], the anchors [T, 4] in the features' dtype and device, and T_l per level.</returns>
    private (List<Tensor> Features, Tensor Anchors, long[] CountPerLevel) Features(ImageList batch)
    {
        var features = backbone.call(batch.Tensors).Values.ToList();
        var levelSizes = features.Select(f => (f.shape[2], f.shape[3])).ToList();
        var (anchors, counts) = _anchors.Generate((batch.Tensors.shape[2], batch.Tensors.shape[3]), levelSizes, features[0].device);
        return (features, anchors.to(features[0].dtype), counts);
    }
}
