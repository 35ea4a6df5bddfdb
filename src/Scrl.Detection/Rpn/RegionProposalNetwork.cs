using Scrl.Core.Boxes;
using Scrl.Core.Training;
using Scrl.Detection.Transform;
using static TorchSharp.torch;

namespace Scrl.Detection.Rpn;

// Shapes: N images, L levels, A anchors per location, T anchors per image, K_l = min(preNmsTopN, T_l), P proposals.

/// <summary>Scores anchors, decodes the best into proposals (per-level top-k, clip, NMS per level), and in
/// training computes the objectness and box losses.</summary>
/// <remarks>Mirrors torchvision models/detection/rpn.py RegionProposalNetwork. Keys: head.*.</remarks>
public sealed class RegionProposalNetwork : nn.Module
{
    // Field names are the state-dict keys: never rename.
    private readonly RpnHead head;

    private readonly AnchorGenerator _anchors;
    private readonly BoxCoder _boxCoder = new((1, 1, 1, 1));
    private readonly Matcher _matcher;
    private readonly BalancedPositiveNegativeSampler _sampler;
    private readonly PhaseTimer? _timer;

    /// <param name="timer">Benchmarks only: charges NMS to <see cref="DetectionPhases.Nms"/>.</param>
    public RegionProposalNetwork(AnchorGenerator anchors, RpnHead head, RpnOptions options, PhaseTimer? timer = null) : base(nameof(RegionProposalNetwork))
    {
        _anchors = anchors;
        this.head = head;
        Options = options;
        _matcher = new Matcher(options.FgIouThreshold, options.BgIouThreshold, allowLowQualityMatches: true);
        _sampler = new BalancedPositiveNegativeSampler(options.BatchSizePerImage, options.PositiveFraction);
        _timer = timer;
        RegisterComponents();
    }

    public RpnOptions Options { get; }

    /// <param name="images">The padded batch and image sizes.</param>
    /// <param name="features">FPN levels [N, D, H_l, W_l].</param>
    /// <param name="targets">Resized ground truth; required in training.</param>
    /// <param name="generator">Anchor sampling in training.</param>
    /// <returns>Proposals per image [P_i, 4] xyxy px of the resized image (detached), and the losses in training.</returns>
    public (List<Tensor> Proposals, (Tensor Objectness, Tensor BoxReg)? Losses) Forward(
        ImageList images, IReadOnlyList<Tensor> features, IReadOnlyList<DetectionTarget>? targets, Generator? generator)
    {
        if (training && targets is null) throw new ArgumentException("targets are required in training mode", nameof(targets));
        long n = images.Tensors.shape[0];
        var (logitsPerLevel, deltasPerLevel) = head.call(features);
        var levelSizes = features.Select(f => (f.shape[2], f.shape[3])).ToList();
        var (anchors, countPerLevel) = _anchors.Generate((images.Tensors.shape[2], images.Tensors.shape[3]), levelSizes, features[0].device);   // [T, 4]

        var objectness = cat(logitsPerLevel.Select(l => Flatten(l, 1)).ToList(), 1);         // [N, T, 1]
        var deltas = cat(deltasPerLevel.Select(d => Flatten(d, 4)).ToList(), 1);             // [N, T, 4]
        long t = anchors.shape[0];
        objectness = objectness.reshape(n * t);                                             // [N*T]
        deltas = deltas.reshape(n * t, 4);                                                  // [N*T, 4]

        Tensor decoded;
        using (no_grad())
            decoded = _boxCoder.Decode(deltas.detach(), anchors.repeat(n, 1)).view(n, t, 4); // [N, T, 4]
        var proposals = FilterProposals(decoded, objectness.detach().view(n, t), images.ImageSizes, countPerLevel);

        if (!training) return (proposals, null);

        var assigned = RpnLoss.AssignTargets(anchors, targets!.Select(x => x.Boxes).ToList(), _matcher);
        var labels = cat(assigned.Select(a => a.Labels).ToList(), 0);                        // [N*T]
        var regression = cat(assigned.Select(a => _boxCoder.Encode(a.MatchedBoxes, anchors)).ToList(), 0);   // [N*T, 4]
        var samples = assigned.Select(a => _sampler.Sample(a.Labels, generator)).ToList();
        var positive = cat(samples.Select(s => s.Positive).ToList(), 0);                     // [N*T] bool
        var negative = cat(samples.Select(s => s.Negative).ToList(), 0);
        return (proposals, RpnLoss.Compute(objectness, deltas, labels, regression, positive, negative));
    }

    /// <summary>Per image: top-k per level, sigmoid, clip, drop small and low-scoring boxes, NMS per level, keep post-NMS top-k.</summary>
    /// <param name="proposals">[N, T, 4].</param>
    /// <param name="objectness">[N, T] logits.</param>
    private List<Tensor> FilterProposals(Tensor proposals, Tensor objectness, IReadOnlyList<(long Height, long Width)> imageSizes, long[] countPerLevel)
    {
        long n = proposals.shape[0];
        int preNms = Options.PreNmsTopN.For(training), postNms = Options.PostNmsTopN.For(training);
        var topIndex = new List<Tensor>();
        var levels = new List<Tensor>();
        long offset = 0;
        for (int l = 0; l < countPerLevel.Length; l++)
        {
            int k = (int)Math.Min(preNms, countPerLevel[l]);
            var top = objectness.narrow(1, offset, countPerLevel[l]).topk(k, dim: 1).indexes + offset;   // [N, K_l]
            topIndex.Add(top);
            levels.Add(full([n, k], l, ScalarType.Int64, proposals.device));
            offset += countPerLevel[l];
        }
        var index = cat(topIndex, 1);                                                        // [N, sum K_l]
        var level = cat(levels, 1);
        var scores = sigmoid(objectness.gather(1, index));                                   // [N, sum K_l]
        var boxes = proposals.gather(1, index.unsqueeze(2).expand(-1, -1, 4));               // [N, sum K_l, 4]

        var result = new List<Tensor>((int)n);
        for (int i = 0; i < n; i++)
        {
            var (h, w) = imageSizes[i];
            var b = TorchvisionBoxOps.Clip(boxes[i], h, w);
            var s = scores[i];
            var lv = level[i];
            var keep = TorchvisionBoxOps.KeepLargeEnough(b, Options.MinSize);
            (b, s, lv) = (b.index_select(0, keep), s.index_select(0, keep), lv.index_select(0, keep));
            keep = nonzero(s >= Options.ScoreThreshold).view(-1);
            (b, s, lv) = (b.index_select(0, keep), s.index_select(0, keep), lv.index_select(0, keep));
            using (_timer?.Measure(DetectionPhases.Nms))
                keep = Nms.Batched(b, s, lv, Options.NmsThreshold);
            keep = keep.narrow(0, 0, Math.Min(postNms, keep.shape[0]));
            result.Add(b.index_select(0, keep));                                             // [P_i, 4]
        }
        return result;
    }

    /// <summary>[N, A*C, H, W] -> [N, H*W*A, C], torchvision's permute_and_flatten.</summary>
    private static Tensor Flatten(Tensor x, long c)
    {
        long n = x.shape[0], h = x.shape[2], w = x.shape[3];
        return x.view(n, -1, c, h, w).permute(0, 3, 4, 1, 2).reshape(n, -1, c);
    }
}
