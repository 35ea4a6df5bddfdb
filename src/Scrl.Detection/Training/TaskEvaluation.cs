using System.Globalization;
using System.Text;
using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Datasets;
using Scrl.Detection.Evaluation;
using Scrl.Detection.Evaluation.Cityscapes;

namespace Scrl.Detection.Training;

/// <summary>
/// Scores a detector on a task's val split with the benchmark's own protocol: pycocotools' COCOeval (bbox, plus segm
/// for instances and keypoints for keypoints), detectron2's VOC protocol, or cityscapesScripts' instance-level AP.
/// </summary>
public static class TaskEvaluation
{
    /// <returns>The scores, and every detection in COCO results form (RLE masks and keypoints included), for files and overlays.</returns>
    /// <param name="dataset">The records of <paramref name="val"/>, as <see cref="DetectionSplit.Read"/> gives them.</param>
    public static (DetectionScores Scores, IReadOnlyList<CocoDetection> Detections) Run(FinetuneTask task, DetectionSplit val, ImageDataset dataset, Detector model,
                                                                                        int batchSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(val);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(model);
        var data = new DetectionDataset(dataset, training: false);
        var results = new List<CocoDetection>();
        var cityscapes = task == FinetuneTask.CityscapesInstances ? new CityscapesInstanceEvaluator() : null;
        DetectionPredictor.Predict(model, data, batchSize, (i, detections) =>
        {
            var record = data.Records[i];
            results.AddRange(CocoResults.Of(detections, ResultImageIds.Of(val.Format, record, i), label => data.CategoryOf(label)));
            cityscapes?.Add(CityscapesGroundTruth.Read(CityscapesDatasetReader.InstanceIdsFile(val.Root, val.Split, record)),
                            CityscapesDetectionPredictions.FromDetections(detections, label => data.CategoryOf(label)));
        }, cancellationToken);
        var scores = task switch
        {
            FinetuneTask.VocDet => Voc(val, dataset, results),
            FinetuneTask.CityscapesInstances => Cityscapes(cityscapes!.Evaluate()),
            FinetuneTask.CocoKeypoints => Coco(CocoLayout.KeypointsFile(val.Root, val.Split), results, CocoIouType.Bbox, CocoIouType.Keypoints),
            FinetuneTask.CocoInstances => Coco(CocoLayout.AnnotationFile(val.Root, val.Split), results, CocoIouType.Bbox, CocoIouType.Segm),
            _ => Coco(CocoLayout.AnnotationFile(val.Root, val.Split), results, CocoIouType.Bbox),
        };
        return (scores, results);
    }

    /// <summary>detectron2 uses the 11-point metric for VOC2007 only (its test set's protocol).</summary>
    public static bool UsesVoc07Metric(string vocRoot) =>
        Path.GetFileName(Path.TrimEndingDirectorySeparator(vocRoot)).Contains("2007", StringComparison.Ordinal);

    /// <summary>Every iouType in turn; the last is the headline.</summary>
    private static DetectionScores Coco(string annotationFile, IReadOnlyList<CocoDetection> detections, params CocoIouType[] iouTypes)
    {
        var summary = new StringBuilder();
        var metrics = new Dictionary<string, double>();
        CocoStats? last = null;
        foreach (var iouType in iouTypes)
        {
            string name = CocoIouTypes.NameOf(iouType);
            last = new CocoEvaluator(iouType).Evaluate(CocoGroundTruth.Load(annotationFile, iouType), detections);
            summary.Append(CultureInfo.InvariantCulture, $"IoU metric: {name}\n").Append(last.FormatSummary());
            foreach (var d in last.Definitions) metrics[$"{name}/{d.Name}"] = 100 * last[d.Name];
        }
        return new DetectionScores(100 * last!.AP, 100 * last.AP50, 100 * last.AP75, summary.ToString(), metrics);
    }

    /// <summary>Other layouts scored with VOC's protocol get the VOC2007 test metric.</summary>
    private static DetectionScores Voc(DetectionSplit val, ImageDataset dataset, IReadOnlyList<CocoDetection> detections)
    {
        VocResult voc = VocDatasetEvaluation.Evaluate(dataset, detections, val.Format != DatasetFormat.Voc || UsesVoc07Metric(val.Root));
        string summary = string.Format(CultureInfo.InvariantCulture, "VOC  AP {0:F2}  AP50 {1:F2}  AP75 {2:F2}\n", voc.AP, voc.AP50, voc.AP75)
                         + string.Concat(voc.PerClassAp50.Select(c => string.Format(CultureInfo.InvariantCulture, "{0,-12} {1:F2}\n", c.Key, c.Value)));
        var metrics = new Dictionary<string, double> { ["voc/AP"] = voc.AP, ["voc/AP50"] = voc.AP50, ["voc/AP75"] = voc.AP75 };
        return new DetectionScores(voc.AP, voc.AP50, voc.AP75, summary, metrics);
    }

    /// <summary>Mask AP and AP50 as cityscapesScripts prints them; AP75 is the class mean at overlap 0.75 (classes without ground truth left out).</summary>
    private static DetectionScores Cityscapes(CityscapesInstanceResult result)
    {
        int at75 = result.Overlaps.Select((o, i) => (o, i)).First(p => Math.Abs(p.o - 0.75) < 1e-9).i;
        var column = result.ApMatrix.Select(row => row[at75]).Where(v => !double.IsNaN(v)).ToList();
        double ap75 = column.Count == 0 ? 0 : column.Average();
        var summary = new StringBuilder(string.Format(CultureInfo.InvariantCulture, "Cityscapes instance-level  AP {0:F2}  AP50 {1:F2}\n", 100 * result.AP, 100 * result.AP50));
        foreach (var (name, c) in result.PerClass)
            summary.Append(string.Format(CultureInfo.InvariantCulture, "{0,-12} AP {1,6:F2}  AP50 {2,6:F2}\n", name, 100 * c.AP, 100 * c.AP50));
        var metrics = new Dictionary<string, double>
        {
            ["cityscapes/AP"] = 100 * Finite(result.AP), ["cityscapes/AP50"] = 100 * Finite(result.AP50), ["cityscapes/AP75"] = 100 * ap75,
        };
        return new DetectionScores(metrics["cityscapes/AP"], metrics["cityscapes/AP50"], 100 * ap75, summary.ToString(), metrics);
    }

    // The script's averages are NaN when no class has ground truth; json cannot carry NaN.
    private static double Finite(double v) => double.IsNaN(v) ? 0 : v;
}
