using Scrl.Core.Interop;
using Scrl.Detection.Transform;
using static TorchSharp.torch;

namespace Scrl.Detection;

/// <summary>Reads a <see cref="SparseRcnn"/>'s architecture from a checkpoint's tensor shapes.</summary>
/// <remarks>
/// Proposals and their width from init_proposal_features, classes, feed-forward and dynamic widths, pooled size and
/// tower depths from the first stage, stages from the head_series entries present, the backbone as
/// <see cref="DetectorCheckpoint.InferBackbone"/> reads it. Attention heads leave no trace in the shapes: they are the
/// authors' 8. The inference settings are not stored and take their defaults.
/// </remarks>
public static class SparseRcnnCheckpoint
{
    private const string ProposalFeaturesKey = "init_proposal_features.weight";
    private const string Stage = "head.head_series.0.";
    private const string ClassLogitsKey = Stage + "class_logits.weight";

    /// <summary>Options whose model has exactly the shapes in <paramref name="weights"/> (when it is a Sparse R-CNN at all).</summary>
    /// <exception cref="CheckpointMismatchException">The proposal features or the first stage are missing.</exception>
    public static SparseRcnnOptions InferOptions(IReadOnlyDictionary<string, Tensor> weights, TransformOptions transform)
    {
        int Count(Func<int, string> key) => Enumerable.Range(0, int.MaxValue).TakeWhile(i => weights.ContainsKey(key(i))).Count();
        long hidden = DetectorCheckpoint.Dim(weights, ProposalFeaturesKey, 1);
        long pooled = DetectorCheckpoint.Dim(weights, Stage + "inst_interact.out_layer.weight", 1) / hidden;
        return new SparseRcnnOptions
        {
            NumClasses = (int)DetectorCheckpoint.Dim(weights, ClassLogitsKey, 0),
            Proposals = (int)DetectorCheckpoint.Dim(weights, ProposalFeaturesKey, 0),
            HiddenDim = (int)hidden,
            FeedforwardDim = (int)DetectorCheckpoint.Dim(weights, Stage + "linear1.weight", 0),
            DynamicDim = (int)DetectorCheckpoint.Dim(weights, Stage + "inst_interact.norm1.weight", 0),
            PoolSize = (int)Math.Round(Math.Sqrt(pooled)),
            ClassLayers = Count(i => $"{Stage}cls_module.{3 * i}.weight"),
            RegressionLayers = Count(i => $"{Stage}reg_module.{3 * i}.weight"),
            Stages = Count(i => $"head.head_series.{i}.class_logits.weight"),
            Backbone = DetectorCheckpoint.InferBackbone(weights, new Backbones.BackboneOptions()),
            Transform = transform,
        };
    }
}
