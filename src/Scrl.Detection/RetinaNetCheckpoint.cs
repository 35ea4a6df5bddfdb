using Scrl.Core.Interop;
using Scrl.Detection.Retina;
using Scrl.Detection.Transform;
using static TorchSharp.torch;

namespace Scrl.Detection;

/// <summary>Reads a <see cref="RetinaNet"/>'s architecture from a checkpoint's tensor shapes.</summary>
/// <remarks>
/// Classes from cls_logits' outputs (K per anchor, 9 anchors per location), the backbone as
/// <see cref="DetectorCheckpoint.InferBackbone"/> reads it with RetinaNet's FPN layout. Thresholds are not stored
/// and take their defaults.
/// </remarks>
public static class RetinaNetCheckpoint
{
    private const string ClassLogitsKey = "head.classification_head.cls_logits.weight";

    /// <summary>Options whose model has exactly the shapes in <paramref name="weights"/> (when it is a RetinaNet at all).</summary>
    /// <exception cref="CheckpointMismatchException">cls_logits is missing, or its width is no multiple of the anchors per location.</exception>
    public static RetinaNetOptions InferOptions(IReadOnlyDictionary<string, Tensor> weights, TransformOptions transform)
    {
        long outputs = DetectorCheckpoint.Dim(weights, ClassLogitsKey, 0);
        if (outputs % RetinaNetAnchors.AnchorsPerLocation != 0)
            throw new CheckpointMismatchException("reading the detector architecture from a checkpoint", [], [],
                [$"{ClassLogitsKey}: {outputs} outputs, not a multiple of {RetinaNetAnchors.AnchorsPerLocation} anchors per location"]);
        return new RetinaNetOptions
        {
            NumClasses = (int)(outputs / RetinaNetAnchors.AnchorsPerLocation),
            Backbone = DetectorCheckpoint.InferBackbone(weights, RetinaNetOptions.BackboneLayout),
            Transform = transform,
        };
    }
}
