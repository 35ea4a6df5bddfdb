namespace Scrl.Detection.Evaluation;

/// <summary>One line of pycocotools' <c>summarize()</c>: which slice of precision or recall is averaged.</summary>
/// <param name="Name">Short name: AP, AP50, AP75, APs, APm, APl, AR1, AR10, AR100, ARs, ARm, ARl (keypoints: AP, AP50, AP75, APm, APl, AR, AR50, AR75, ARm, ARl).</param>
/// <param name="IsPrecision">AP (precision) or AR (recall).</param>
/// <param name="IouThreshold">A single IoU threshold, or null for the mean over all of them.</param>
/// <param name="AreaLabel">The area range's label.</param>
/// <param name="MaxDetections">The max-detections setting.</param>
public sealed record CocoStatDefinition(string Name, bool IsPrecision, double? IouThreshold, string AreaLabel, int MaxDetections)
{
    /// <summary>The twelve stats of <c>_summarizeDets</c>, in its order.</summary>
    public static IReadOnlyList<CocoStatDefinition> ForDetections(CocoEvalParams p)
    {
        if (p.MaxDetections.Count != 3)
            throw new ArgumentException($"The detection summary needs three max-detection values, got {p.MaxDetections.Count}.", nameof(p));
        int m1 = p.MaxDetections[0], m10 = p.MaxDetections[1], m100 = p.MaxDetections[2];
        return
        [
            new("AP", true, null, "all", m100),
            new("AP50", true, 0.5, "all", m100),
            new("AP75", true, 0.75, "all", m100),
            new("APs", true, null, "small", m100),
            new("APm", true, null, "medium", m100),
            new("APl", true, null, "large", m100),
            new($"AR{m1}", false, null, "all", m1),
            new($"AR{m10}", false, null, "all", m10),
            new($"AR{m100}", false, null, "all", m100),
            new("ARs", false, null, "small", m100),
            new("ARm", false, null, "medium", m100),
            new("ARl", false, null, "large", m100),
        ];
    }

    /// <summary>The ten stats of <c>_summarizeKps</c>, in its order, all at the single max-detections value.</summary>
    public static IReadOnlyList<CocoStatDefinition> ForKeypoints(CocoEvalParams p)
    {
        if (p.MaxDetections.Count != 1)
            throw new ArgumentException($"The keypoint summary needs one max-detection value, got {p.MaxDetections.Count}.", nameof(p));
        int m = p.MaxDetections[0];
        return
        [
            new("AP", true, null, "all", m),
            new("AP50", true, 0.5, "all", m),
            new("AP75", true, 0.75, "all", m),
            new("APm", true, null, "medium", m),
            new("APl", true, null, "large", m),
            new("AR", false, null, "all", m),
            new("AR50", false, 0.5, "all", m),
            new("AR75", false, 0.75, "all", m),
            new("ARm", false, null, "medium", m),
            new("ARl", false, null, "large", m),
        ];
    }

    /// <summary>
    /// The printed line, character for character:
    /// <c>' {:&lt;18} {} @[ IoU={:&lt;9} | area={:&gt;6s} | maxDets={:&gt;3d} ] = {:0.3f}'</c>.
    /// </summary>
    public string FormatLine(double value, CocoEvalParams p)
    {
        string title = IsPrecision ? "Average Precision" : "Average Recall";
        string type = IsPrecision ? "(AP)" : "(AR)";
        string iou = IouThreshold is { } t
            ? PythonFormat.Fixed(t, 2)
            : $"{PythonFormat.Fixed(p.IouThresholds[0], 2)}:{PythonFormat.Fixed(p.IouThresholds[^1], 2)}";
        return $" {title,-18} {type} @[ IoU={iou,-9} | area={AreaLabel,6} | maxDets={MaxDetections,3} ] = {PythonFormat.Fixed(value, 3)}";
    }
}
