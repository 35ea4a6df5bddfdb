using System.Runtime.InteropServices;

namespace Scrl.Detection.Evaluation;

/// <summary>
/// COCO detection evaluation that reproduces pycocotools' <c>COCOeval</c> (evaluate, accumulate, summarize) to the
/// last bit: same sorts, same tie-breaking, same float64 arithmetic. The overlap measure is pluggable
/// (<see cref="IIouComputer"/>); boxes are built in.
/// </summary>
/// <remarks>
/// Mirrors cocodataset/cocoapi PythonAPI/pycocotools/cocoeval.py. Two deliberate differences: results naming
/// images absent from the ground truth raise an error that lists them (pycocotools asserts), and an empty results
/// list is evaluated instead of crashing: every category with counted ground truth gets precision and recall 0, so
/// the stats are 0 (-1 where no ground truth is counted at all). detectron2 reports NaN there instead.
/// </remarks>
public sealed class CocoEvaluator
{
    public CocoEvaluator(CocoEvalParams? parameters = null)
    {
        Params = parameters ?? CocoEvalParams.Detection;
        if (Params.IouThresholds.Count == 0 || Params.RecallThresholds.Count == 0 || Params.AreaRanges.Count == 0)
            throw new ArgumentException("IoU thresholds, recall thresholds and area ranges must not be empty.", nameof(parameters));
        if (!Params.MaxDetections.SequenceEqual(Params.MaxDetections.Order()) || Params.MaxDetections.Any(m => m <= 0))
            throw new ArgumentException($"Max detections must be positive and ascending, were [{string.Join(", ", Params.MaxDetections)}].", nameof(parameters));
        Definitions = CocoStatDefinition.ForDetections(Params);
        foreach (var d in Definitions) Params.AreaIndex(d.AreaLabel);   // fail now, not after evaluating
    }

    /// <summary>The parameters every evaluation uses.</summary>
    public CocoEvalParams Params { get; }

    /// <summary>The twelve summary stats this evaluator reports.</summary>
    public IReadOnlyList<CocoStatDefinition> Definitions { get; }

    /// <summary>Evaluates a results json against an instances json (bbox).</summary>
    /// <exception cref="InvalidDataException">The results name unknown images or hold malformed entries.</exception>
    public CocoStats Evaluate(string gtJsonPath, string resultsJsonPath) =>
        Evaluate(CocoGroundTruth.Load(gtJsonPath), CocoResultsJson.Load(resultsJsonPath));

    /// <summary>Evaluates box detections. Detections of categories absent from the ground truth are skipped and counted.</summary>
    /// <exception cref="InvalidDataException">The results name unknown images or hold malformed entries.</exception>
    public CocoStats Evaluate(CocoGroundTruth groundTruth, IReadOnlyList<CocoDetection> detections)
    {
        var errors = CocoResultsJson.Validate(detections, groundTruth);
        if (errors.Count > 0)
            throw new InvalidDataException("The detections cannot be evaluated:\n" + string.Join("\n", errors));
        return Evaluate(groundTruth, detections, new BoxIouComputer(groundTruth.Annotations, detections));
    }

    /// <summary>
    /// Evaluates with any overlap measure; <paramref name="iouComputer"/> must index
    /// <see cref="CocoGroundTruth.Annotations"/> and <paramref name="detections"/>, which must already be valid.
    /// </summary>
    public CocoStats Evaluate(CocoGroundTruth groundTruth, IReadOnlyList<CocoDetection> detections, IIouComputer iouComputer)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentNullException.ThrowIfNull(detections);
        ArgumentNullException.ThrowIfNull(iouComputer);
        int imageCount = groundTruth.ImageIds.Count, categoryCount = groundTruth.CategoryIds.Count;
        var evaluations = MatchAll(groundTruth, detections, iouComputer);
        var table = CocoAccumulator.Accumulate(evaluations, Params, categoryCount, imageCount);
        return Summarize(table, groundTruth, CocoResultsJson.CountUnknownCategories(detections, groundTruth));
    }

    // evaluate(): one CocoImageEvaluation per (category, area range, image) that has ground truth or detections.
    private CocoImageEvaluation?[] MatchAll(CocoGroundTruth gt, IReadOnlyList<CocoDetection> detections, IIouComputer iouComputer)
    {
        int imageCount = gt.ImageIds.Count, areaCount = Params.AreaRanges.Count;
        var imageIndex = gt.ImageIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var categoryIndex = gt.CategoryIds.Select((id, k) => (id, k)).ToDictionary(x => x.id, x => x.k);
        var groups = new Dictionary<(int K, int I), (List<int> Gts, List<int> Dts)>();
        (List<int> Gts, List<int> Dts) GroupOf(int k, int i) =>
            groups.TryGetValue((k, i), out var g) ? g : groups[(k, i)] = ([], []);
        for (int j = 0; j < gt.Annotations.Count; j++)
            GroupOf(categoryIndex[gt.Annotations[j].CategoryId], imageIndex[gt.Annotations[j].ImageId]).Gts.Add(j);
        for (int j = 0; j < detections.Count; j++)
            if (categoryIndex.TryGetValue(detections[j].CategoryId, out int k))
                GroupOf(k, imageIndex[detections[j].ImageId]).Dts.Add(j);

        var evaluations = new CocoImageEvaluation?[gt.CategoryIds.Count * areaCount * imageCount];
        int maxDet = Params.MaxDetections[^1];
        foreach (var ((k, i), (gts, dtsInFileOrder)) in groups)
        {
            // computeIoU and evaluateImg both take detections by descending score (stable), capped at maxDet.
            var fileOrderScores = new double[dtsInFileOrder.Count];
            for (int j = 0; j < fileOrderScores.Length; j++) fileOrderScores[j] = detections[dtsInFileOrder[j]].Score;
            int[] order = NumpySemantics.StableArgsortDescending(fileOrderScores);
            int dCount = Math.Min(maxDet, order.Length), gCount = gts.Count;
            var dts = new int[dCount];
            var dtScores = new double[dCount];
            var dtAreas = new double[dCount];
            for (int j = 0; j < dCount; j++)
            {
                dts[j] = dtsInFileOrder[order[j]];
                dtScores[j] = fileOrderScores[order[j]];
                dtAreas[j] = iouComputer.DetectionArea(dts[j]);
            }
            var gtIds = new long[gCount];
            var gtAreas = new double[gCount];
            var gtCrowd = new bool[gCount];
            for (int j = 0; j < gCount; j++)
            {
                var a = gt.Annotations[gts[j]];
                (gtIds[j], gtAreas[j], gtCrowd[j]) = (a.Id, a.Area, a.IsCrowd != 0);
            }
            var iou = new double[dCount * gCount];
            iouComputer.Compute(dts, CollectionsMarshal.AsSpan(gts), iou);
            for (int a = 0; a < areaCount; a++)
                evaluations[(k * areaCount + a) * imageCount + i] = CocoImageMatcher.Match(
                    iou, gtIds, gtAreas, gtCrowd, dtScores, dtAreas, Params.IouThresholds, Params.AreaRanges[a]);
        }
        return evaluations;
    }

    // summarize(): each stat is the mean of the selected entries > -1.
    private CocoStats Summarize(CocoPrecisionTable table, CocoGroundTruth gt, IReadOnlyDictionary<int, int> skipped)
    {
        var values = new double[Definitions.Count];
        for (int s = 0; s < Definitions.Count; s++)
        {
            var d = Definitions[s];
            int a = Params.AreaIndex(d.AreaLabel);
            int m = IndexOf(Params.MaxDetections, d.MaxDetections);
            int? t = d.IouThreshold is { } thr ? IndexOf(Params.IouThresholds, thr) : null;
            values[s] = m < 0 || t < 0 ? -1
                : d.IsPrecision ? table.MeanPrecision(t, null, a, m) : table.MeanRecall(t, a, m);
        }
        var perCategory = new Dictionary<int, double>();
        for (int k = 0; k < gt.CategoryIds.Count; k++)
            perCategory[gt.CategoryIds[k]] = table.MeanPrecision(null, k, 0, table.M - 1);
        return new CocoStats(Params, Definitions, values, perCategory, skipped);
    }

    // np.where(x == values): exact equality, as pycocotools selects IoU=.50 and .75.
    private static int IndexOf<T>(IReadOnlyList<T> values, T x) where T : IEquatable<T>
    {
        for (int i = 0; i < values.Count; i++)
            if (values[i].Equals(x)) return i;
        return -1;
    }
}
