using static TorchSharp.torch;

namespace Scrl.Detection;

/// <summary>Ground truth of one image.</summary>
/// <param name="Boxes">[G, 4] float xyxy px of the image it comes with (G may be 0).</param>
/// <param name="Labels">[G] int64 class ids, 1..K-1 (0 is background).</param>
/// <param name="Masks">[G, H, W] uint8 instance masks of the image (1 inside), for mask branches; null otherwise.</param>
/// <param name="Keypoints">[G, J, 3] float (x px, y px, visibility 0/1/2) of J keypoints, for keypoint branches; null otherwise.</param>
public sealed record DetectionTarget(Tensor Boxes, Tensor Labels, Tensor? Masks = null, Tensor? Keypoints = null);
