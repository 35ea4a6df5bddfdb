using System.Runtime.InteropServices;

namespace Scrl.Detection.Evaluation;

/// <summary>
/// COCO detection evaluation that reproduces pycocotools' <c>COCOeval</c> (evaluate, accumulate, summarize) to the
/// last bit: same sorts, same tie-breaking, same float64 arithmetic, for each <see cref="CocoIouType"/>: boxes, masks
/// (<see cref="MaskIouComputer"/>) and keypoints (<see cref="KeypointOksComputer"/>). Other overlap measures plug in
/// through <see cref="IIouComputer"/>.
/// </summary>
/// <remarks>
/// Mirrors cocodataset/cocoapi PythonAPI/pycocotools/cocoeval.py. Two deliberate differences: results naming
/// images absent from the ground truth raise an error that lists them (pycocotools asserts), and an empty results
/// list is evaluated instead of crashing: every category with counted ground truth gets precision and recall 0, so
/// the stats are 0 (-1 where no ground truth is counted at all). detectron2 reports NaN there instead.
/// </remarks>
public sealed class CocoEvaluator
{
    /// <summary>A bbox evaluator.</summary>
    public CocoEvaluator(CocoEvalParams? parameters = null)
        : this(CocoIouType.Bbox, parameters)
    {
    }

    /// <summary>An evaluator of <paramref name="iouType"/>; parameters default to pycocotools' for that type.</summary>
    public CocoEvaluator(CocoIouType iouType, CocoEvalParams? parameters = null)
    {
        IouType = iouType;
        Params = parameters ?? (iouType == CocoIouType.Keypoints ? CocoEvalParams.Keypoints : CocoEvalParams.Detection);
        if (Params.IouThresholds.Count == 0 || Params.RecallThresholds.Count == 0 || Params.AreaRanges.Count == 0)
            throw new ArgumentException("IoU thresholds, recall thresholds and area ranges must not be empty.", nameof(parameters));
        if (!Params.MaxDetections.SequenceEqual(Params.MaxDetections.Order()) || Params.MaxDetections.Any(m => m <= 0))
            throw new ArgumentException($"Max detections must be positive and ascending, were [{string.Join(", ", Params.MaxDetections)}].", nameof(parameters));
        if (iouType == CocoIouType.Keypoints && Params.KeypointOksSigmas.Count == 0)
            throw new ArgumentException("Keypoint evaluation needs one OKS sigma per keypoint.", nameof(parameters));
        Definitions = iouType == CocoIouType.Keypoints ? CocoStatDefinition.ForKeypoints(Params) : CocoStatDefinition.ForDetections(Params);
        foreach (var d in Definitions) Params.AreaIndex(d.AreaLabel);   // fail now, not after evaluating
    }

    /// <summary>What is overlapped: boxes, masks or keypoints.</summary>
    public CocoIouType IouType { get; }

    /// <summary>The parameters every evaluation uses.</summary>
    public CocoEvalParams Params { get; }

    /// <summary>The summary stats this evaluator reports: twelve for bbox and segm, ten for keypoints.</summary>
    public IReadOnlyList<CocoStatDefinition> Definitions { get; }

    /// <summary>Evaluates a results json against an instances (or person keypoints) json.</summary>
    /// <exception cref="InvalidDataException">The ground truth lacks what <see cref="IouType"/> needs, or the results name unknown images or hold malformed entries.</exception>
    public CocoStats Evaluate(string gtJsonPath, string resultsJsonPath) =>
        Evaluate(CocoGroundTruth.Load(gtJsonPath, IouType), CocoResultsJson.Load(resultsJsonPath));

    /// <summary>
    /// Evaluates detections with <see cref="IouType"/>'s overlap. Detections of categories absent from the ground
    /// truth are skipped and counted. Keypoint ground truth with no labelled keypoint is ignored, as crowds are.
    /// </summary>
    /// <exception cref="InvalidDataException">The ground truth lacks what <see cref="IouType"/> needs, or the results name unknown images or hold malformed entries.</exception>
    public CocoStats Evaluate(CocoGroundTruth groundTruth, IReadOnlyList<CocoDetection> detections)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        int keypointCount = Params.KeypointOksSigmas.Count;
        var errors = CocoGroundTruthChecks.Validate(groundTruth, IouType, keypointCount)
            .Concat(CocoResultsJson.Validate(detections, groundTruth, IouType, keypointCount)).ToList();
        if (errors.Count > 0)
            throw new InvalidDataException($"The {CocoIouTypes.NameOf(IouType)} evaluation cannot run:\n" + string.Join("\n", errors));
        IIouComputer iouComputer = IouType switch
        {
            CocoIouType.Segm => MaskIouComputer.Create(groundTruth, detections),
            CocoIouType.Keypoints => KeypointOksComputer.Create(groundTruth, detections, Params.KeypointOksSigmas),
            _ => new BoxIouComputer(groundTruth.Annotations, detections),
        };
        return Evaluate(groundTruth, detections, iouComputer, GroundTruthIgnore(groundTruth));
    }

    /// <summary>
    /// Evaluates with any overlap measure; <paramref name="iouComputer"/> must index
    /// <see cref="CocoGroundTruth.Annotations"/> and <paramref name="detections"/>, which must already be valid.
    /// </summary>
    /// <remarks>Ground truth is ignored where it is a crowd (bbox and segm semantics).</remarks>
    public CocoStats Evaluate(CocoGroundTruth groundTruth, IReadOnlyList<CocoDetection> detections, IIouComputer iouComputer)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        return Evaluate(groundTruth, detections, iouComputer, groundTruth.Annotations.Select(a => a.IsCrowd != 0).ToArray());
    }

    private CocoStats Evaluate(CocoGroundTruth groundTruth, IReadOnlyList<CocoDetection> detections, IIouComputer iouComputer, bool[] gtIgnore)
    {
        ArgumentNullException.ThrowIfNull(detections);
        ArgumentNullException.ThrowIfNull(iouComputer);
        int imageCount = groundTruth.ImageIds.Count, categoryCount = groundTruth.CategoryIds.Count;
        var evaluations = MatchAll(groundTruth, detections, iouComputer, gtIgnore);
        var table = CocoAccumulator.Accumulate(evaluations, Params, categoryCount, imageCount);
        return Summarize(table, groundTruth, CocoResultsJson.CountUnknownCategories(detections, groundTruth));
    }

    // _prepare(): gt['ignore'] = iscrowd, and for keypoints also num_keypoints == 0.
    private bool[] GroundTruthIgnore(CocoGroundTruth gt)
    {
        var ignore = gt.Annotations.Select(a => a.IsCrowd != 0).ToArray();
        if (IouType == CocoIouType.Keypoints)
            for (int j = 0; j < ignore.Length; j++) ignore[j] |= gt.FullAnnotations![j].NumKeypoints == 0;
        return ignore;
    }

    // evaluate(): one CocoImageEvaluation per (category, area range, image) that has ground truth or detections.
    private CocoImageEvaluation?[] MatchAll(CocoGroundTruth gt, IReadOnlyList<CocoDetection> detections, IIouComputer iouComputer, bool[] gtIgnore)
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
            var gtIgnored = new bool[gCount];
            for (int j = 0; j < gCount; j++)
            {
                var a = gt.Annotations[gts[j]];
                (gtIds[j], gtAreas[j], gtCrowd[j], gtIgnored[j]) = (a.Id, a.Area, a.IsCrowd != 0, gtIgnore[gts[j]]);
            }
            var iou = new double[dCount * gCount];
            iouComputer.Compute(dts, CollectionsMarshal.AsSpan(gts), iou);
            for (int a = 0; a < areaCount; a++)
                evaluations[(k * areaCount + a) * imageCount + i] = CocoImageMatcher.Match(
                    iou, gtIds, gtAreas, gtCrowd, gtIgnored, dtScores, dtAreas, Params.IouThresholds, Params.AreaRanges[a]);
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
