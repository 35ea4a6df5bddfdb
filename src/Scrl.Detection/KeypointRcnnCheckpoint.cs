using Scrl.Detection.RoiHeads;
using Scrl.Detection.Transform;
using static TorchSharp.torch;

namespace Scrl.Detection;

/// <summary>Reads a <see cref="KeypointRcnn"/>'s architecture from a checkpoint's tensor shapes.</summary>
/// <remarks>
/// What <see cref="FasterRcnnCheckpoint"/> reads, plus J from kps_score_lowres (a ConvTranspose2d weight
/// [C, J, 4, 4]). The keypoint tower's widths are torchvision's fixed eight 512-channel convs; a checkpoint with
/// others fails the strict load, naming the keys.
/// </remarks>
public static class KeypointRcnnCheckpoint
{
    /// <summary>The key whose shape gives J.</summary>
    public const string KeypointLogitsKey = "roi_heads.keypoint_predictor.kps_score_lowres.weight";

    /// <summary>Options whose model has exactly the shapes in <paramref name="weights"/> (when it is a Keypoint R-CNN at all).</summary>
    public static KeypointRcnnOptions InferOptions(IReadOnlyDictionary<string, Tensor> weights, TransformOptions transform)
    {
        var boxes = FasterRcnnCheckpoint.InferOptions(weights, transform);
        return new KeypointRcnnOptions
        {
            NumClasses = boxes.NumClasses,
            Backbone = boxes.Backbone,
            Transform = transform,
            BoxHead = boxes.BoxHead,
            KeypointHead = new KeypointHeadOptions { NumKeypoints = (int)DetectorCheckpoint.Dim(weights, KeypointLogitsKey, 1) },
        };
    }
}
