using Scrl.Core.Training;
using Scrl.Detection.Backbones;
using Scrl.Detection.Sparse;
using Scrl.Detection.Transform;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Scrl.Detection;

// Shapes: N images, each [3, H_i, W_i] float in [0, 1]; boxes xyxy px of the original images.
// Inside: P learnable proposals, C channels, K classes, T stages.

/// <summary>
/// Sparse R-CNN (Sun et al. 2021): P learnable proposal boxes and features refined by T dynamic heads, trained as set
/// prediction with a Hungarian matcher; no anchors, no NMS.
/// </summary>
/// <remarks>
/// Mirrors the authors' detector.py SparseRCNN on our ResNet-FPN (torchvision's layout and transform, as every other
/// detector here). Keys: backbone.body.*, backbone.fpn.*, init_proposal_features.weight [P, C],
/// init_proposal_boxes.weight [P, 4] (normalised cx, cy, w, h; all start as the whole image), head.head_series.{t}.*.
/// Losses: loss_ce, loss_bbox, loss_giou and the same with _t for the earlier stages, already weighted.
/// </remarks>
public sealed class SparseRcnn : Detector
{
    // Field names are the state-dict keys: never rename.
    private readonly BackboneWithFpn backbone;
    private readonly Embedding init_proposal_features;
    private readonly Embedding init_proposal_boxes;
    private readonly SparseRcnnHead head;

    private readonly GeneralizedRcnnTransform _transform;
    private readonly SetCriterion _criterion;
    private readonly SparseRcnnOptions _options;

    public SparseRcnn(BackboneWithFpn backbone, SparseRcnnHead head, GeneralizedRcnnTransform transform, SparseRcnnOptions options, PhaseTimer? timer = null)
        : base(nameof(SparseRcnn))
    {
        ArgumentNullException.ThrowIfNull(options);
        if (backbone.OutChannels != options.HiddenDim)
            throw new ArgumentException($"the FPN has {backbone.OutChannels} channels but the proposal features {options.HiddenDim}", nameof(options));
        this.backbone = backbone;
        this.head = head;
        init_proposal_features = nn.Embedding(options.Proposals, options.HiddenDim);
        init_proposal_boxes = nn.Embedding(options.Proposals, 4);
        using (no_grad())
        {
            init_proposal_boxes.weight!.narrow(1, 0, 2).fill_(0.5);
            init_proposal_boxes.weight!.narrow(1, 2, 2).fill_(1.0);
        }
        _transform = transform;
        _options = options;
        _criterion = new SetCriterion(options, new HungarianMatcher(options, timer));
        RegisterComponents();
    }

    public override DetectorKind Kind => DetectorKind.SparseRcnn;

    public override BackboneWithFpn Backbone => backbone;

    public SparseRcnnOptions Options => _options;

    /// <summary>Builds every part with its defaults from <paramref name="options"/> (the authors' R50-FPN config).</summary>
    /// <param name="timer">Benchmarks only: records RoIAlign and matching under <see cref="DetectionPhases"/>; null measures nothing.</param>
    public static SparseRcnn FromOptions(SparseRcnnOptions options, PhaseTimer? timer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var backbone = BackboneWithFpn.FromOptions(options.Backbone);
        return new SparseRcnn(backbone, new SparseRcnnHead(options, timer), new GeneralizedRcnnTransform(options.Transform), options, timer);
    }

    /// <summary>Every stage's outputs on the transformed batch, for parity checks and inspection.</summary>
    public (ImageList Batch, IReadOnlyList<(Tensor Logits, Tensor Boxes)> Stages) HeadOutputs(IReadOnlyList<Tensor> images)
    {
        var device = Device;
        var (batch, _) = _transform.Apply(images.Select(i => i.to(device)).ToList(), null, null);
        return (batch, Stages(batch));
    }

    protected override DetectorLosses ComputeLosses(IReadOnlyList<Tensor> images, IReadOnlyList<DetectionTarget> targets, Generator? generator)
    {
        using var scope = NewDisposeScope();
        var (batch, resized) = _transform.Apply(images, targets, generator);
        var stages = Stages(batch);
        var setTargets = resized!.Select((t, i) => new SetTarget(t.Boxes, t.Labels, ImageSize(batch.ImageSizes[i], t.Boxes.dtype, t.Boxes.device))).ToList();
        var losses = _criterion.Losses(stages, setTargets);
        return new DetectorLosses(losses.ToDictionary(kv => kv.Key, kv => kv.Value.MoveToOuterDisposeScope()));
    }

    protected override IReadOnlyList<Detections> Detect(IReadOnlyList<Tensor> images)
    {
        using var scope = NewDisposeScope();
        var (batch, _) = _transform.Apply(images, null, null);
        var (logits, boxes) = Stages(batch)[^1];
        var detections = SparseRcnnPostprocess.TopScores(logits, boxes, _options.DetectionsPerImage, _options.ScoreThreshold);
        return GeneralizedRcnnTransform.ToOriginalSizes(SparseRcnnPostprocess.ClipToImages(detections, batch.ImageSizes), batch.ImageSizes, images);
    }

    private IReadOnlyList<(Tensor Logits, Tensor Boxes)> Stages(ImageList batch)
    {
        var features = backbone.call(batch.Tensors);
        var whwh = stack(batch.ImageSizes.Select(s => ImageSize(s, features["0"].dtype, features["0"].device)).ToList());   // [N, 4]
        var boxes = CenterToCorners(init_proposal_boxes.weight!).unsqueeze(0) * whwh.unsqueeze(1);                        // [N, P, 4]
        return head.Forward(features, boxes, init_proposal_features.weight!, batch.ImageSizes);
    }

    private static Tensor ImageSize((long Height, long Width) size, ScalarType dtype, Device device) =>
        tensor(new float[] { size.Width, size.Height, size.Width, size.Height }, device: device).to(dtype);

    private static Tensor CenterToCorners(Tensor boxes)
    {
        var center = boxes.narrow(1, 0, 2);
        var half = 0.5 * boxes.narrow(1, 2, 2);
        return cat([center - half, center + half], 1);
    }
}
