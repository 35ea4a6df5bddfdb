namespace Scrl.Detection.Evaluation.Cityscapes;

/// <summary>A ground-truth region of an evaluated class, with the predictions of its class that overlap it.</summary>
internal sealed record CityscapesMatchedGroundTruth(int InstanceId, int PixelCount, List<CityscapesOverlap> MatchedPredictions)
{
    public bool IsInstance => InstanceId >= 1000;
}

/// <summary>A kept prediction, with the ground-truth regions of its class that it overlaps.</summary>
internal sealed record CityscapesMatchedPrediction(double Confidence, int PixelCount, int VoidIntersection, List<CityscapesOverlap> MatchedGroundTruth);

/// <summary>An overlapping pair: the other side's index in its class list, and the shared pixels (&gt; 0).</summary>
internal readonly record struct CityscapesOverlap(int Index, int Intersection);

/// <summary>
/// What cityscapesScripts' <c>assignGt2Preds</c> keeps of one image: per evaluated class, its ground-truth regions
/// (ascending id, crowd regions included) and its non-empty predictions (input order), cross-linked by overlap.
/// Pixels are gone; only counts remain.
/// </summary>
internal sealed record CityscapesImageMatches(
    IReadOnlyList<List<CityscapesMatchedGroundTruth>> GroundTruthByClass,
    IReadOnlyList<List<CityscapesMatchedPrediction>> PredictionsByClass);
