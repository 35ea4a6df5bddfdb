namespace Scrl.Detection.Evaluation.Cityscapes;

/// <summary>
/// Cityscapes instance-level semantic labeling AP, number for number with cityscapesScripts'
/// <c>evalInstanceLevelSemanticLabeling.py</c> (<c>evaluateImgLists</c> with its default arguments): overlaps
/// 0.5:0.95 step 0.05, minimum region size 100 px, the 8 instance classes.
/// </summary>
/// <remarks>
/// Add each image's ground truth and predictions with <see cref="Add"/> (only per-region pixel counts are kept), then
/// call <see cref="Evaluate"/>. The script's distance-restricted scores (AP 50m, AP 100m) are not computed: they need
/// per-instance depth (<c>medDist</c>, <c>distConf</c>) from disparity, which instanceIds PNGs do not carry, and the
/// script itself skips them unless <c>distanceAvailable</c> is set. Not thread-safe.
/// </remarks>
public sealed class CityscapesInstanceEvaluator
{
    /// <summary>The script's <c>minRegionSizes[0]</c>: smaller ground-truth instances are neither targets nor false-positive sources.</summary>
    public const int MinRegionSize = 100;

    /// <summary><c>np.arange(0.5, 1., 0.05)</c>, computed as numpy does (<c>start + i * ((start + step) - start)</c>).</summary>
    public static readonly IReadOnlyList<double> Overlaps = [.. Enumerable.Range(0, 10).Select(i => 0.5 + i * ((0.5 + 0.05) - 0.5))];

    private readonly CityscapesImageMatcher _matcher = new();
    private readonly List<CityscapesImageMatches> _images = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>Images added so far.</summary>
    public int ImageCount => _images.Count;

    /// <summary>Matches one image's predictions with its ground truth and keeps the counts.</summary>
    /// <exception cref="ArgumentException">
    /// The image was added before (same <see cref="CityscapesGroundTruth.Name"/>), or a prediction has an unknown
    /// label id, a NaN confidence or a mask of another size than the ground truth.
    /// </exception>
    public void Add(CityscapesGroundTruth groundTruth, IReadOnlyList<CityscapesInstancePrediction> predictions)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentNullException.ThrowIfNull(predictions);
        if (_names.Contains(groundTruth.Name)) throw new ArgumentException($"Image '{groundTruth.Name}' was added twice.", nameof(groundTruth));
        _images.Add(_matcher.Match(groundTruth, predictions));
        _names.Add(groundTruth.Name);
    }

    /// <summary>AP over the images added so far.</summary>
    public CityscapesInstanceResult Evaluate()
    {
        var classes = CityscapesLabels.InstanceClasses;
        var matrix = new double[classes.Count][];
        for (int c = 0; c < classes.Count; c++)
        {
            matrix[c] = new double[Overlaps.Count];
            for (int o = 0; o < Overlaps.Count; o++)
                matrix[c][o] = CityscapesAveragePrecision.Compute(_images, c, Overlaps[o], MinRegionSize);
        }
        var perClass = new Dictionary<string, CityscapesClassAp>(classes.Count);
        for (int c = 0; c < classes.Count; c++)
            perClass[classes[c].Name] = new CityscapesClassAp(NumpySemantics.Mean(matrix[c]), matrix[c][0]);
        double ap = NanMean(matrix.SelectMany(row => row).ToArray());
        double ap50 = NanMean(matrix.Select(row => row[0]).ToArray());
        return new CityscapesInstanceResult(ap, ap50, perClass, Overlaps, matrix);
    }

    /// <summary>
    /// Scores the prediction files under <paramref name="predictionRoot"/> (the script's format, found as its
    /// <c>getPrediction</c> does) against <paramref name="groundTruthFiles"/> (<c>*_gtFine_instanceIds.png</c>).
    /// </summary>
    /// <exception cref="FileNotFoundException">A ground-truth PNG, prediction file or mask is missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, or a prediction file is missing or ambiguous.</exception>
    /// <exception cref="ArgumentException">A prediction has an unknown label id or a mask of the wrong size.</exception>
    public static CityscapesInstanceResult EvaluateFiles(IReadOnlyList<string> groundTruthFiles, string predictionRoot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groundTruthFiles);
        var reader = new CityscapesPredictionFileReader(predictionRoot);
        var evaluator = new CityscapesInstanceEvaluator();
        foreach (string gtFile in groundTruthFiles)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var groundTruth = CityscapesGroundTruth.Read(Path.GetFullPath(gtFile));
            evaluator.Add(groundTruth, reader.Read(reader.Find(gtFile)));
        }
        return evaluator.Evaluate();
    }

    /// <summary><c>np.nanmean</c>: NaN entries count as 0 in numpy's pairwise sum, divided by the non-NaN count.</summary>
    private static double NanMean(double[] values)
    {
        int count = values.Count(v => !double.IsNaN(v));
        return NumpySemantics.Sum(values.Select(v => double.IsNaN(v) ? 0.0 : v).ToArray()) / count;
    }
}
