using Scrl.Core.Boxes;
using Scrl.Core.Training;
using Scrl.Detection.Poolers;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scrl.Detection.RoiHeads;

// Shapes: N images, P_i proposals of image i, R RoIs over the batch, K classes including background, D detections.

/// <summary>Samples proposals against the ground truth, pools and classifies them; in testing, decodes,
/// thresholds and runs per-class NMS.</summary>
/// <remarks>
/// Mirrors torchvision models/detection/roi_heads.py RoIHeads. Keys: box_head.*, box_predictor.*, and each extra
/// <see cref="RoiBranch"/>'s {name}_head.*, {name}_predictor.* (mask, keypoint).
/// </remarks>
public sealed class RoiHeads : nn.Module
{
    // Field names are the state-dict keys: never rename.
    private readonly TwoMlpHead box_head;
    private readonly FastRcnnPredictor box_predictor;

    private readonly MultiScaleRoiAlign _boxRoiPool;
    private readonly BoxCoder _boxCoder;
    private readonly Matcher _matcher;
    private readonly BalancedPositiveNegativeSampler _sampler;
    private readonly PhaseTimer? _timer;

    private readonly IReadOnlyList<RoiBranch> _branches;

    /// <param name="branches">Mask and keypoint branches, in torchvision's order; none for Faster R-CNN.</param>
    /// <param name="timer">Benchmarks only: charges the detections' NMS to <see cref="DetectionPhases.Nms"/>.</param>
    public RoiHeads(MultiScaleRoiAlign boxRoiPool, TwoMlpHead boxHead, FastRcnnPredictor boxPredictor, BoxHeadOptions options, PhaseTimer? timer = null,
                    IReadOnlyList<RoiBranch>? branches = null)
        : base(nameof(RoiHeads))
    {
        if (options.RegressionWeights.Count != 4) throw new ArgumentException("RegressionWeights needs 4 values", nameof(options));
        _boxRoiPool = boxRoiPool;
        box_head = boxHead;
        box_predictor = boxPredictor;
        Options = options;
        var w = options.RegressionWeights;
        _boxCoder = new BoxCoder((w[0], w[1], w[2], w[3]));
        _matcher = new Matcher(options.FgIouThreshold, options.BgIouThreshold, allowLowQualityMatches: false);
        _sampler = new BalancedPositiveNegativeSampler(options.BatchSizePerImage, options.PositiveFraction);
        _timer = timer;
        _branches = branches ?? [];
        RegisterComponents();
        foreach (var branch in _branches)
        {
            register_module($"{branch.Name}_head", branch.Head);
            register_module($"{branch.Name}_predictor", branch.Predictor);
        }
    }

    public BoxHeadOptions Options { get; }

    /// <summary>Training: loss_classifier and loss_box_reg over sampled proposals (ground truth added to them).</summary>
    /// <param name="features">FPN levels by name.</param>
    /// <param name="proposals">Per image [P_i, 4] xyxy px of the resized image.</param>
    /// <param name="targets">Resized ground truth per image.</param>
    public IReadOnlyDictionary<string, Tensor> Losses(IReadOnlyDictionary<string, Tensor> features, IReadOnlyList<Tensor> proposals,
        IReadOnlyList<(long Height, long Width)> imageSizes, IReadOnlyList<DetectionTarget> targets, Generator? generator)
    {
        var sampledBoxes = new List<Tensor>(proposals.Count);
        var labels = new List<Tensor>(proposals.Count);
        var regression = new List<Tensor>(proposals.Count);
        var positives = new List<PositiveProposals>(proposals.Count);
        for (int i = 0; i < proposals.Count; i++)
        {
            var (gtBoxes, gtLabels) = (targets[i].Boxes.to(proposals[i].dtype), targets[i].Labels);
            var candidates = cat([proposals[i], gtBoxes], 0);                                        // [P_i + G, 4]
            var (matched, imageLabels) = Assign(candidates, gtBoxes, gtLabels);
            var (pos, neg) = _sampler.Sample(imageLabels, generator);
            var keep = nonzero(pos.logical_or(neg)).view(-1);                                        // [S_i], index order as torchvision
            var boxes = candidates.index_select(0, keep);
            var matchedGt = gtBoxes.shape[0] == 0
                ? zeros([keep.shape[0], 4], boxes.dtype, boxes.device)
                : gtBoxes.index_select(0, matched.index_select(0, keep));                            // [S_i, 4]
            var sampledLabels = imageLabels.index_select(0, keep);
            sampledBoxes.Add(boxes);
            labels.Add(sampledLabels);
            regression.Add(_boxCoder.Encode(matchedGt, boxes));
            if (_branches.Count > 0)
            {
                var positive = nonzero(sampledLabels > 0).view(-1);
                positives.Add(new PositiveProposals(boxes.index_select(0, positive), sampledLabels.index_select(0, positive),
                                                    matched.index_select(0, keep).index_select(0, positive)));
            }
        }
        var (logits, deltas) = Predict(features, sampledBoxes, imageSizes);
        var (classifier, boxReg) = FastRcnnLoss.Compute(logits, deltas, cat(labels, 0), cat(regression, 0));
        var losses = new Dictionary<string, Tensor> { ["loss_classifier"] = classifier, ["loss_box_reg"] = boxReg };
        foreach (var branch in _branches)
            foreach (var (name, loss) in branch.Losses(features, positives, imageSizes, targets))
                losses.Add(name, loss);
        return losses;
    }

    /// <summary>Testing: per image, detections in resized-image pixels, with every branch's outputs.</summary>
    public IReadOnlyList<Detections> Detect(IReadOnlyDictionary<string, Tensor> features, IReadOnlyList<Tensor> proposals, IReadOnlyList<(long Height, long Width)> imageSizes)
    {
        var (logits, deltas) = Predict(features, proposals, imageSizes);
        var boxes = _boxCoder.Decode(deltas, cat(proposals.ToList(), 0));                           // [R, K, 4]
        var scores = F.softmax(logits, -1);                                                           // [R, K]
        var result = new List<Detections>(proposals.Count);
        long offset = 0;
        for (int i = 0; i < proposals.Count; i++)
        {
            long count = proposals[i].shape[0];
            result.Add(Postprocess(boxes.narrow(0, offset, count), scores.narrow(0, offset, count), imageSizes[i]));
            offset += count;
        }
        return _branches.Aggregate((IReadOnlyList<Detections>)result, (detections, branch) => branch.Annotate(features, detections, imageSizes));
    }

    /// <returns>Logits [R, K] and deltas [R, 4K].</returns>
    private (Tensor Logits, Tensor Deltas) Predict(IReadOnlyDictionary<string, Tensor> features, IReadOnlyList<Tensor> boxes, IReadOnlyList<(long Height, long Width)> imageSizes)
    {
        var pooled = _boxRoiPool.Pool(features, boxes, imageSizes);                                   // [R, C, S, S]
        return box_predictor.call(box_head.call(pooled));
    }

    /// <summary>Matched ground-truth index (clamped to 0) and class label per candidate: 0 background, -1 ignored.</summary>
    private (Tensor Matched, Tensor Labels) Assign(Tensor candidates, Tensor gtBoxes, Tensor gtLabels)
    {
        if (gtBoxes.shape[0] == 0)
            return (zeros(candidates.shape[0], ScalarType.Int64, candidates.device), zeros(candidates.shape[0], ScalarType.Int64, candidates.device));
        var matches = _matcher.Match(TorchvisionBoxOps.BoxIou(gtBoxes, candidates));                 // [P]
        var clamped = matches.clamp_min(0);
        var labels = gtLabels.to(ScalarType.Int64).index_select(0, clamped)
            .masked_fill(matches.eq(Matcher.BelowLowThreshold), 0)
            .masked_fill(matches.eq(Matcher.BetweenThresholds), -1);                                  // [P]
        return (clamped, labels);
    }

    /// <summary>Clip, drop background and low scores, remove tiny boxes, per-class NMS, keep the top detections.</summary>
    /// <param name="boxes">[P, K, 4].</param>
    /// <param name="scores">[P, K].</param>
    private Detections Postprocess(Tensor boxes, Tensor scores, (long Height, long Width) imageSize)
    {
        long p = boxes.shape[0], k = scores.shape[1];
        var clipped = TorchvisionBoxOps.Clip(boxes, imageSize.Height, imageSize.Width);
        var labels = arange(k, ScalarType.Int64, boxes.device).view(1, -1).expand(p, k);            // [P, K]
        var b = clipped.narrow(1, 1, k - 1).reshape(-1, 4);                                           // [P*(K-1), 4]
        var s = scores.narrow(1, 1, k - 1).reshape(-1);
        var l = labels.narrow(1, 1, k - 1).reshape(-1);
        var keep = nonzero(s > Options.ScoreThreshold).view(-1);
        (b, s, l) = (b.index_select(0, keep), s.index_select(0, keep), l.index_select(0, keep));
        keep = TorchvisionBoxOps.KeepLargeEnough(b, 1e-2);
        (b, s, l) = (b.index_select(0, keep), s.index_select(0, keep), l.index_select(0, keep));
        using (_timer?.Measure(DetectionPhases.Nms))
            keep = Nms.Batched(b, s, l, Options.NmsThreshold);
        keep = keep.narrow(0, 0, Math.Min(Options.DetectionsPerImage, keep.shape[0]));
        return new Detections(b.index_select(0, keep), s.index_select(0, keep), l.index_select(0, keep));
    }
}
