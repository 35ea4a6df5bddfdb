using static TorchSharp.torch;

namespace Scrl.Detection;

/// <summary>Detections of one image, in decreasing score order.</summary>
/// <param name="Boxes">[D, 4] xyxy px of the original (un-resized) image.</param>
/// <param name="Scores">[D] class probabilities.</param>
/// <param name="Labels">[D] int64 class ids, 1..K-1.</param>
public sealed record Detections(Tensor Boxes, Tensor Scores, Tensor Labels);
