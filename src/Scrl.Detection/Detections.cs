using static TorchSharp.torch;

namespace Scrl.Detection;

/// <summary>Detections of one image, in decreasing score order.</summary>
/// <param name="Boxes">[D, 4] xyxy px of the original (un-resized) image.</param>
/// <param name="Scores">[D] class probabilities.</param>
/// <param name="Labels">[D] int64 class ids, 1..K-1.</param>
/// <param name="Masks">Mask branches: [D, 1, H, W] float mask probabilities over the image (torchvision's layout); else null.</param>
/// <param name="Keypoints">Keypoint branches: [D, J, 3] float (x px, y px, 1); else null.</param>
/// <param name="KeypointScores">Keypoint branches: [D, J] heatmap logits at the decoded points; else null.</param>
public sealed record Detections(Tensor Boxes, Tensor Scores, Tensor Labels,
    Tensor? Masks = null, Tensor? Keypoints = null, Tensor? KeypointScores = null);
