using Scrl.Core.Boxes;
using Scrl.Detection.Poolers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Scrl.Detection.Sparse;

// Shapes: N images, P proposals per image, C channels, K classes, S x S pooled bins.

/// <summary>
/// One iterative head: self-attention among an image's proposals, dynamic interaction with each proposal's RoI
/// features, a feed-forward block, then class logits and box deltas applied to the incoming boxes.
/// </summary>
/// <remarks>
/// Mirrors the authors' head.py RCNNHead (dropout 0, as their config). Keys self_attn.*, inst_interact.*,
/// linear1, linear2, norm1..3, cls_module.{3i, 3i+1}, reg_module.{3i, 3i+1}, class_logits, bboxes_delta.
/// </remarks>
public sealed class SparseRcnnStage : nn.Module
{
    // Field names are the state-dict keys: never rename.
    private readonly ProposalSelfAttention self_attn;
    private readonly DynamicConv inst_interact;
    private readonly Linear linear1;
    private readonly Linear linear2;
    private readonly LayerNorm norm1;
    private readonly LayerNorm norm2;
    private readonly LayerNorm norm3;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> cls_module;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> reg_module;
    private readonly Linear class_logits;
    private readonly Linear bboxes_delta;

    // Box2BoxTransform of the authors: weights (2, 2, 1, 1), dw and dh clamped at log(100000 / 16).
    private static readonly BoxCoder Deltas = new((2, 2, 1, 1), Math.Log(100_000.0 / 16));

    public SparseRcnnStage(SparseRcnnOptions options) : base(nameof(SparseRcnnStage))
    {
        int c = options.HiddenDim;
        self_attn = new ProposalSelfAttention(c, options.AttentionHeads);
        inst_interact = new DynamicConv(c, options.DynamicDim, options.PoolSize);
        linear1 = nn.Linear(c, options.FeedforwardDim);
        linear2 = nn.Linear(options.FeedforwardDim, c);
        norm1 = nn.LayerNorm(c);
        norm2 = nn.LayerNorm(c);
        norm3 = nn.LayerNorm(c);
        cls_module = Tower(c, options.ClassLayers);
        reg_module = Tower(c, options.RegressionLayers);
        class_logits = nn.Linear(c, options.NumClasses);
        bboxes_delta = nn.Linear(c, 4);
        RegisterComponents();
    }

    /// <param name="features">FPN levels P2..P5 as <paramref name="pooler"/> prepared them.</param>
    /// <param name="boxes">[N, P, 4] xyxy px of the padded batch; not differentiated through.</param>
    /// <param name="proposals">[N, P, C] proposal features.</param>
    /// <param name="imageSizes">Resized (height, width) per image.</param>
    /// <returns>Class logits [N, P, K], refined boxes [N, P, 4] and the updated proposal features [N, P, C].</returns>
    public (Tensor Logits, Tensor Boxes, Tensor Proposals) Forward(PoolingTable features, Tensor boxes, Tensor proposals,
                                                                    MultiScaleRoiAlign pooler, IReadOnlyList<(long Height, long Width)> imageSizes)
    {
        using var scope = NewDisposeScope();
        long n = boxes.shape[0], p = boxes.shape[1], c = proposals.shape[2];
        var rois = pooler.Pool(features, Enumerable.Range(0, (int)n).Select(i => boxes[i]).ToList(), imageSizes);   // [N P, C, S, S]
        rois = rois.flatten(2).transpose(1, 2);                                                                     // [N P, S*S, C]

        var x = norm1.call(proposals + self_attn.call(proposals)).reshape(n * p, c);                                // [N P, C]
        x = norm2.call(x + inst_interact.call(x, rois));
        x = norm3.call(x + linear2.call(nn.functional.relu(linear1.call(x))));

        var logits = class_logits.call(cls_module.Aggregate(x, (h, layer) => layer.call(h)));                     // [N P, K]
        var deltas = bboxes_delta.call(reg_module.Aggregate(x, (h, layer) => layer.call(h)));                     // [N P, 4]
        var refined = Deltas.Decode(deltas, boxes.reshape(n * p, 4));                                               // [N P, 1, 4]
        return (logits.view(n, p, -1).MoveToOuterDisposeScope(), refined.view(n, p, 4).MoveToOuterDisposeScope(),
                x.view(n, p, c).MoveToOuterDisposeScope());
    }

    /// <summary>The authors' init after xavier: every class bias at the prior probability.</summary>
    internal void InitClassBias(double priorProbability)
    {
        using var noGrad = no_grad();
        class_logits.bias!.fill_(-Math.Log((1 - priorProbability) / priorProbability));
    }

    private static ModuleList<nn.Module<Tensor, Tensor>> Tower(int channels, int layers)
    {
        var modules = new List<nn.Module<Tensor, Tensor>>();
        for (int i = 0; i < layers; i++)
            modules.AddRange([nn.Linear(channels, channels, hasBias: false), nn.LayerNorm(channels), nn.ReLU(inplace: true)]);
        return nn.ModuleList(modules.ToArray());
    }
}
