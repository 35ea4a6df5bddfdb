namespace Scrl.Detection.Evaluation;

/// <summary>
/// Evaluation parameters. <see cref="Detection"/> is pycocotools' <c>Params.setDetParams</c> (bbox and segm) and
/// <see cref="Keypoints"/> its <c>setKpParams</c>: the only settings whose numbers are comparable with published results.
/// </summary>
/// <remarks>
/// The detection summary's twelve stats assume three max-detection values and the area labels all/small/medium/large;
/// the keypoint summary's ten, one max-detection value and all/medium/large.
/// </remarks>
public sealed record CocoEvalParams
{
    /// <summary>IoU thresholds: <c>np.linspace(.5, .95, 10)</c>, bit for bit.</summary>
    public IReadOnlyList<double> IouThresholds { get; init; } = NumpySemantics.Linspace(0.5, 0.95, 10);

    /// <summary>Recall points of the interpolated precision: <c>np.linspace(0, 1, 101)</c>.</summary>
    public IReadOnlyList<double> RecallThresholds { get; init; } = NumpySemantics.Linspace(0.0, 1.0, 101);

    /// <summary>Detections kept per image and category, ascending; the last also bounds the matching.</summary>
    public IReadOnlyList<int> MaxDetections { get; init; } = [1, 10, 100];

    /// <summary>Area ranges; the first must be <c>all</c>, which per-category AP reports.</summary>
    public IReadOnlyList<CocoAreaRange> AreaRanges { get; init; } =
    [
        new("all", 0, 1e10),
        new("small", 0, 32 * 32),
        new("medium", 32 * 32, 96 * 96),
        new("large", 96 * 96, 1e10),
    ];

    /// <summary>Per-keypoint OKS sigmas, [17] in COCO's keypoint order (<c>kpt_oks_sigmas</c>: the published values / 10).</summary>
    public IReadOnlyList<double> KeypointOksSigmas { get; init; } = Array.ConvertAll(
        new[] { .26, .25, .25, .35, .35, .79, .79, .72, .72, .62, .62, 1.07, 1.07, .87, .87, .89, .89 }, s => s / 10.0);

    /// <summary>pycocotools' defaults for box (and mask) detection.</summary>
    public static CocoEvalParams Detection { get; } = new();

    /// <summary>pycocotools' defaults for keypoints: 20 detections per image, area ranges all, medium and large.</summary>
    public static CocoEvalParams Keypoints { get; } = new()
    {
        MaxDetections = [20],
        AreaRanges = [new("all", 0, 1e10), new("medium", 32 * 32, 96 * 96), new("large", 96 * 96, 1e10)],
    };

    /// <summary>Index of <paramref name="label"/> in <see cref="AreaRanges"/>.</summary>
    public int AreaIndex(string label)
    {
        for (int i = 0; i < AreaRanges.Count; i++)
            if (AreaRanges[i].Label == label) return i;
        throw new ArgumentException($"No area range labelled '{label}'.", nameof(label));
    }
}
