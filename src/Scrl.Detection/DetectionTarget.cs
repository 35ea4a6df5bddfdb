using static TorchSharp.torch;

namespace Scrl.Detection;

/// <summary>Ground truth of one image.</summary>
/// <param name="Boxes">[G, 4] float xyxy px of the image it comes with (G may be 0).</param>
/// <param name="Labels">[G] int64 class ids, 1..K-1 (0 is background).</param>
public sealed record DetectionTarget(Tensor Boxes, Tensor Labels);
