using Scrl.Core.Interop;
using Scrl.Detection.Transform;
using static TorchSharp.torch;

namespace Scrl.Detection;

/// <summary>Reads a <see cref="SparseRcnn"/>'s architecture from a checkpoint's tensor shapes.</summary>
/// <remarks>
/// Proposals and their width from init_proposal_features, classes from the first stage's class_logits, stages from
/// the head_series entries present, the backbone as <see cref="DetectorCheckpoint.InferBackbone"/> reads it. The
/// inference settings are not stored and take their defaults.
/// </remarks>
public static class SparseRcnnCheckpoint
{
    private const string ProposalFeaturesKey = "init_proposal_features.weight";
    private const string ClassLogitsKey = "head.head_series.0.class_logits.weight";

    /// <summary>Options whose model has exactly the shapes in <paramref name="weights"/> (when it is a Sparse R-CNN at all).</summary>
    /// <exception cref="CheckpointMismatchException">The proposal features or the first stage are missing.</exception>
    public static SparseRcnnOptions InferOptions(IReadOnlyDictionary<string, Tensor> weights, TransformOptions transform)
    {
        int stages = 0;
        while (weights.ContainsKey($"head.head_series.{stages}.class_logits.weight")) stages++;
        return new SparseRcnnOptions
        {
            NumClasses = (int)DetectorCheckpoint.Dim(weights, ClassLogitsKey, 0),
            Proposals = (int)DetectorCheckpoint.Dim(weights, ProposalFeaturesKey, 0),
            HiddenDim = (int)DetectorCheckpoint.Dim(weights, ProposalFeaturesKey, 1),
            Stages = stages,
            Backbone = DetectorCheckpoint.InferBackbone(weights, new Backbones.BackboneOptions()),
            Transform = transform,
        };
    }
}
