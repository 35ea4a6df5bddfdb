namespace Scrl.Detection.Evaluation;

/// <summary>
/// A fine-tuned detector's scores on a val split, in percent: the task's headline AP (box AP for detection, mask AP for
/// instance segmentation, OKS AP for keypoints), every metric the task's evaluators report, and their printed summary.
/// </summary>
/// <param name="Metrics">By name, e.g. <c>bbox/AP</c>, <c>segm/AP50</c>, <c>keypoints/AP</c>, <c>cityscapes/AP</c>, <c>voc/AP50</c>.</param>
public sealed record DetectionScores(double AP, double AP50, double AP75, string Summary, IReadOnlyDictionary<string, double> Metrics);
