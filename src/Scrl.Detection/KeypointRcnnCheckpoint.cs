using Scrl.Detection.RoiHeads;
using Scrl.Detection.Transform;
using static TorchSharp.torch;

namespace Scrl.Detection;

/// <summary>Reads a <see cref="KeypointRcnn"/>'s architecture from a checkpoint's tensor shapes.</summary>
/// <remarks>
/// What <see cref="FasterRcnnCheckpoint"/> reads, plus the keypoint tower's widths from keypoint_head.{2i}.weight
/// (Sequential indices: conv, ReLU, conv, ...) and J from kps_score_lowres (a ConvTranspose2d weight [C, J, 4, 4]).
/// Pooling and thresholds are not stored and take their defaults.
/// </remarks>
public static class KeypointRcnnCheckpoint
{
    /// <summary>The key whose shape gives J.</summary>
    public const string KeypointLogitsKey = "roi_heads.keypoint_predictor.kps_score_lowres.weight";

    /// <summary>Options whose model has exactly the shapes in <paramref name="weights"/> (when it is a Keypoint R-CNN at all).</summary>
    /// <exception cref="Scrl.Core.Interop.CheckpointMismatchException">A key the architecture is read from is missing.</exception>
    public static KeypointRcnnOptions InferOptions(IReadOnlyDictionary<string, Tensor> weights, TransformOptions transform)
    {
        var boxes = FasterRcnnCheckpoint.InferOptions(weights, transform);
        int joints = (int)DetectorCheckpoint.Dim(weights, KeypointLogitsKey, 1);
        var layers = new List<int>();
        while (weights.TryGetValue($"roi_heads.keypoint_head.{2 * layers.Count}.weight", out var conv))
            layers.Add((int)conv.shape[0]);
        if (layers.Count == 0) DetectorCheckpoint.Dim(weights, "roi_heads.keypoint_head.0.weight", 0);   // throws, naming the key
        return new KeypointRcnnOptions
        {
            NumClasses = boxes.NumClasses,
            Backbone = boxes.Backbone,
            Transform = transform,
            BoxHead = boxes.BoxHead,
            KeypointHead = new KeypointHeadOptions { NumKeypoints = joints, Layers = layers },
        };
    }
}
