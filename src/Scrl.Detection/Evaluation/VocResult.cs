namespace Scrl.Detection.Evaluation;

/// <summary>detectron2's VOC "bbox" results, in percent.</summary>
/// <param name="AP">Mean over IoU 0.50:0.95 of the per-threshold mAP.</param>
/// <param name="AP50">mAP at IoU &gt; 0.50 (the number VOC papers report).</param>
/// <param name="AP75">mAP at IoU &gt; 0.75.</param>
/// <param name="PerClassAp50">AP at IoU &gt; 0.50 per class name.</param>
public sealed record VocResult(double AP, double AP50, double AP75, IReadOnlyDictionary<string, double> PerClassAp50);
