namespace Scrl.Detection;

/// <summary>
/// Names under which a detector built with a <see cref="Scrl.Core.Training.PhaseTimer"/> records its NMS,
/// RoIAlign, mask pasting and matching calls (benchmarks only; without a timer nothing is measured).
/// </summary>
public static class DetectionPhases
{
    /// <summary>Every batched NMS: RPN proposals per image, and per-class NMS of the detections.</summary>
    public const string Nms = "nms";

    /// <summary>Every MultiScaleRoIAlign pooling: level assignment and RoIAlign on each FPN level.</summary>
    public const string RoiAlign = "roi_align";

    /// <summary>Pasting Mask R-CNN's 28x28 masks into the original images.</summary>
    public const string MaskPaste = "mask_paste";

    /// <summary>Sparse R-CNN's Hungarian matching: the cost matrices, their copy to the host and the assignment.</summary>
    public const string Matching = "matching";
}
