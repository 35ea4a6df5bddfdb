using System.Globalization;
using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Datasets;

namespace Scrl.Detection.Evaluation;

/// <summary>Headline box AP of a fine-tuned detector, in percent, with the evaluator's printed summary.</summary>
public sealed record DetectionScores(double AP, double AP50, double AP75, string Summary);

/// <summary>Scores detections on a val split with the benchmark's own protocol: pycocotools' for COCO, detectron2's for VOC.</summary>
public static class DetectionScoring
{
    public static DetectionScores Score(DatasetFormat format, string root, string split, ImageDataset dataset, IReadOnlyList<CocoDetection> detections)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (format == DatasetFormat.Coco)
        {
            CocoStats stats = new CocoEvaluator().Evaluate(CocoGroundTruth.Load(CocoLayout.AnnotationFile(root, split)), detections);
            return new DetectionScores(100 * stats.AP, 100 * stats.AP50, 100 * stats.AP75, stats.FormatSummary());
        }
        if (format != DatasetFormat.Voc) throw new ArgumentException($"Detection scoring reads COCO or VOC splits, not {format}.", nameof(format));
        VocResult voc = VocDatasetEvaluation.Evaluate(dataset, detections, UsesVoc07Metric(root));
        string summary = string.Format(CultureInfo.InvariantCulture, "VOC  AP {0:F2}  AP50 {1:F2}  AP75 {2:F2}\n", voc.AP, voc.AP50, voc.AP75)
                         + string.Concat(voc.PerClassAp50.Select(c => string.Format(CultureInfo.InvariantCulture, "{0,-12} {1:F2}\n", c.Key, c.Value)));
        return new DetectionScores(voc.AP, voc.AP50, voc.AP75, summary);
    }

    /// <summary>detectron2 uses the 11-point metric for VOC2007 only (its test set's protocol).</summary>
    public static bool UsesVoc07Metric(string vocRoot) =>
        Path.GetFileName(Path.TrimEndingDirectorySeparator(vocRoot)).Contains("2007", StringComparison.Ordinal);
}
