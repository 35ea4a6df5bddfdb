namespace Scrl.Detection.Evaluation;

/// <summary>
/// detectron2's <c>PascalVOCDetectionEvaluator</c>: per class and IoU threshold 0.50, 0.55, ..., 0.95 the VOC AP
/// (11-point for VOC2007), times 100; mAP per threshold is the mean over classes; "AP" the mean over thresholds.
/// </summary>
/// <remarks>
/// Mirrors detectron2/evaluation/pascal_voc_evaluation.py. One known difference: <c>voc_eval</c> orders detections
/// with numpy's unstable quicksort, so among detections whose printed scores tie its order is numpy's business;
/// here ties keep input order (identical whenever the 3-decimal scores of a class are distinct).
/// </remarks>
public sealed class VocEvaluator
{
    private static readonly int[] ThresholdsPercent = [50, 55, 60, 65, 70, 75, 80, 85, 90, 95];

    /// <param name="classNames">Class names; <see cref="VocDetection.ClassIndex"/> indexes them.</param>
    /// <param name="use07Metric">VOC2007's 11-point AP (detectron2 uses it when the dataset year is 2007).</param>
    public VocEvaluator(IReadOnlyList<string> classNames, bool use07Metric)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentOutOfRangeException.ThrowIfZero(classNames.Count);
        ClassNames = classNames;
        Use07Metric = use07Metric;
    }

    public IReadOnlyList<string> ClassNames { get; }

    public bool Use07Metric { get; }

    /// <param name="imageIds">The evaluated image set (detectron2's ImageSets/Main/test.txt).</param>
    /// <param name="groundTruth">Objects of those images, VOC 1-based coordinates.</param>
    /// <param name="detections">Detections on those images, e.g. from <see cref="VocDetection.FromModelOutput"/>.</param>
    /// <exception cref="ArgumentException">An object or detection names an image outside the set or an unknown class.</exception>
    public VocResult Evaluate(IReadOnlyList<string> imageIds, IReadOnlyList<VocGroundTruthBox> groundTruth, IReadOnlyList<VocDetection> detections)
    {
        Validate(imageIds, groundTruth, detections);
        var apPerThreshold = new double[ThresholdsPercent.Length][];         // [threshold][class], percent
        for (int t = 0; t < ThresholdsPercent.Length; t++) apPerThreshold[t] = new double[ClassNames.Count];
        for (int c = 0; c < ClassNames.Count; c++)
        {
            var classGt = groundTruth.Where(g => g.ClassIndex == c).GroupBy(g => g.ImageId).ToDictionary(g => g.Key, g => g.ToArray());
            var classDets = detections.Where(d => d.ClassIndex == c).ToArray();
            for (int t = 0; t < ThresholdsPercent.Length; t++)
                apPerThreshold[t][c] = VocClassEvaluator.AveragePrecision(classGt, classDets, ThresholdsPercent[t] / 100.0, Use07Metric) * 100;
        }
        double[] meanAp = apPerThreshold.Select(aps => NumpySemantics.Mean(aps)).ToArray();
        var ap50 = ClassNames.Select((name, c) => (name, c)).ToDictionary(x => x.name, x => apPerThreshold[0][x.c]);
        return new VocResult(NumpySemantics.Mean(meanAp), meanAp[0], meanAp[Array.IndexOf(ThresholdsPercent, 75)], ap50);
    }

    private void Validate(IReadOnlyList<string> imageIds, IReadOnlyList<VocGroundTruthBox> groundTruth, IReadOnlyList<VocDetection> detections)
    {
        var images = imageIds.ToHashSet();
        var problems = new List<string>();
        var strangeImages = groundTruth.Select(g => g.ImageId).Concat(detections.Select(d => d.ImageId)).Where(i => !images.Contains(i)).Distinct().ToArray();
        if (strangeImages.Length > 0) problems.Add($"image ids outside the image set: {string.Join(", ", strangeImages.Take(20))}");
        var strangeClasses = groundTruth.Select(g => g.ClassIndex).Concat(detections.Select(d => d.ClassIndex))
            .Where(c => c < 0 || c >= ClassNames.Count).Distinct().ToArray();
        if (strangeClasses.Length > 0) problems.Add($"class indices outside [0, {ClassNames.Count}): {string.Join(", ", strangeClasses)}");
        if (detections.Any(d => !double.IsFinite(d.Score))) problems.Add("non-finite scores");
        if (problems.Count > 0) throw new ArgumentException("Cannot evaluate VOC detections: " + string.Join("; ", problems));
    }
}
