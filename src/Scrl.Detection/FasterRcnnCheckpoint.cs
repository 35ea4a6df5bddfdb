using Scrl.Detection.Backbones;
using Scrl.Detection.RoiHeads;
using Scrl.Detection.Transform;
using static TorchSharp.torch;

namespace Scrl.Detection;

/// <summary>Reads a <see cref="FasterRcnn"/>'s architecture from a checkpoint's tensor shapes.</summary>
/// <remarks>
/// Checkpoints carry tensors, not options, so the widths are read back from the keys torchvision fixes: classes
/// from cls_score and fc6's width (the backbone as <see cref="DetectorCheckpoint.InferBackbone"/> reads it). RPN
/// and box-head thresholds are not stored and take their defaults.
/// </remarks>
public static class FasterRcnnCheckpoint
{
    /// <summary>Options whose model has exactly the shapes in <paramref name="weights"/> (when it is a Faster R-CNN at all).</summary>
    public static FasterRcnnOptions InferOptions(IReadOnlyDictionary<string, Tensor> weights, TransformOptions transform) => new()
    {
        NumClasses = (int)DetectorCheckpoint.Dim(weights, "roi_heads.box_predictor.cls_score.weight", 0),
        Backbone = DetectorCheckpoint.InferBackbone(weights, new BackboneOptions()),
        Transform = transform,
        BoxHead = new BoxHeadOptions { RepresentationSize = (int)DetectorCheckpoint.Dim(weights, "roi_heads.box_head.fc6.weight", 0) },
    };
}
