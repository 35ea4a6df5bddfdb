namespace Scrl.Detection.Evaluation;

/// <summary>
/// Evaluation parameters. <see cref="Detection"/> is pycocotools' <c>Params.setDetParams</c> (bbox and segm), the
/// only setting whose numbers are comparable with published results.
/// </summary>
/// <remarks>The summary's twelve stats assume three max-detection values and the area labels all/small/medium/large.</remarks>
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

    /// <summary>pycocotools' defaults for box (and mask) detection.</summary>
    public static CocoEvalParams Detection { get; } = new();

    /// <summary>Index of <paramref name="label"/> in <see cref="AreaRanges"/>.</summary>
    public int AreaIndex(string label)
    {
        for (int i = 0; i < AreaRanges.Count; i++)
            if (AreaRanges[i].Label == label) return i;
        throw new ArgumentException($"No area range labelled '{label}'.", nameof(label));
    }
}
