using Scrl.Core.Interop;
using Scrl.Detection.Backbones;
using Scrl.Detection.RoiHeads;
using Scrl.Detection.Transform;
using static TorchSharp.torch;

namespace Scrl.Detection;

/// <summary>Reads a <see cref="MaskRcnn"/>'s architecture from a checkpoint's tensor shapes.</summary>
/// <remarks>
/// Classes from mask_fcn_logits, fc6's width, the mask head's layers (mask_head.{i}.0.weight, as many as there
/// are) and conv5_mask's width, the backbone as <see cref="DetectorCheckpoint.InferBackbone"/> reads it. Pool
/// sizes, dilation and thresholds are not stored and take their defaults.
/// </remarks>
public static class MaskRcnnCheckpoint
{
    private const string MaskHeadPrefix = "roi_heads.mask_head.";

    /// <summary>Options whose model has exactly the shapes in <paramref name="weights"/> (when it is a Mask R-CNN at all).</summary>
    /// <exception cref="CheckpointMismatchException">A key the architecture is read from is missing.</exception>
    public static MaskRcnnOptions InferOptions(IReadOnlyDictionary<string, Tensor> weights, TransformOptions transform)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var layers = new List<int>();
        for (int i = 0; weights.ContainsKey($"{MaskHeadPrefix}{i}.0.weight"); i++)
            layers.Add((int)weights[$"{MaskHeadPrefix}{i}.0.weight"].shape[0]);
        if (layers.Count == 0)
            throw new CheckpointMismatchException("reading the detector architecture from a checkpoint", [$"{MaskHeadPrefix}0.0.weight"], []);
        return new MaskRcnnOptions
        {
            NumClasses = (int)DetectorCheckpoint.Dim(weights, "roi_heads.mask_predictor.mask_fcn_logits.weight", 0),
            Backbone = DetectorCheckpoint.InferBackbone(weights, new BackboneOptions()),
            Transform = transform,
            BoxHead = new BoxHeadOptions { RepresentationSize = (int)DetectorCheckpoint.Dim(weights, "roi_heads.box_head.fc6.weight", 0) },
            MaskHead = new MaskHeadOptions
            {
                Layers = layers,
                DimReduced = (int)DetectorCheckpoint.Dim(weights, "roi_heads.mask_predictor.conv5_mask.weight", 1),
            },
        };
    }
}
