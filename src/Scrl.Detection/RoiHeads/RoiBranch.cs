using static TorchSharp.torch;

namespace Scrl.Detection.RoiHeads;

// Shapes: N images, P_i positive proposals of image i, D_i detections of image i; boxes xyxy px of the resized image.

/// <summary>The box branch's positive proposals in one image, with what they matched: what a mask or keypoint branch trains on.</summary>
/// <param name="Boxes">[P_i, 4].</param>
/// <param name="Labels">[P_i] int64 class of the matched ground truth, 1..K-1.</param>
/// <param name="MatchedTarget">[P_i] int64 index into the image's ground-truth boxes.</param>
public sealed record PositiveProposals(Tensor Boxes, Tensor Labels, Tensor MatchedTarget);

/// <summary>
/// An extra RoI branch beside the box branch, as torchvision's RoIHeads carries the mask and keypoint ones: trained on
/// the sampled positive proposals, run on the final detections. Its two modules are registered on the RoI heads as
/// <c>{Name}_head</c> and <c>{Name}_predictor</c>, so the state dict keeps torchvision's keys
/// (<c>roi_heads.mask_head.*</c>, <c>roi_heads.keypoint_predictor.*</c>).
/// </summary>
public abstract class RoiBranch
{
    /// <param name="name">"mask" or "keypoint", torchvision's attribute prefix.</param>
    protected RoiBranch(string name, nn.Module head, nn.Module predictor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Head = head;
        Predictor = predictor;
    }

    public string Name { get; }

    public nn.Module Head { get; }

    public nn.Module Predictor { get; }

    /// <summary>Training: the branch's named losses (torchvision's loss-dict keys, e.g. loss_mask).</summary>
    /// <param name="features">FPN levels by name.</param>
    /// <param name="positives">Per image, the positive proposals the box branch sampled.</param>
    /// <param name="targets">Resized ground truth per image.</param>
    public abstract IReadOnlyDictionary<string, Tensor> Losses(IReadOnlyDictionary<string, Tensor> features, IReadOnlyList<PositiveProposals> positives,
        IReadOnlyList<(long Height, long Width)> imageSizes, IReadOnlyList<DetectionTarget> targets);

    /// <summary>Testing: each image's detections with the branch's outputs added.</summary>
    public abstract IReadOnlyList<Detections> Annotate(IReadOnlyDictionary<string, Tensor> features, IReadOnlyList<Detections> detections,
        IReadOnlyList<(long Height, long Width)> imageSizes);
}
