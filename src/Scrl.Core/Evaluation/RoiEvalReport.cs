using Scrl.Core.Models;

namespace Scrl.Core.Evaluation;

/// <summary>The result of one RoI linear evaluation; accuracies are fractions in [0, 1].</summary>
public sealed record RoiEvalReport
{
    /// <summary>What was evaluated: a checkpoint path, <c>random</c>, or <c>online@step</c>.</summary>
    public required string Backbone { get; init; }
    public required ResNetVariant Architecture { get; init; }
    public required RoiEvalVariant Variant { get; init; }
    public required RoiEvalScores Scores { get; init; }
    public required RoiCounts Counts { get; init; }
    /// <summary>Mean head loss over the last training epoch.</summary>
    public required double FinalTrainLoss { get; init; }
    /// <summary>Backbone forwards and RoIAlign (0 when the C5 features came from the cache).</summary>
    public required double ExtractSeconds { get; init; }
    public required double HeadSeconds { get; init; }
    public required bool TrainFeaturesFromCache { get; init; }
    public required RoiEvalOptions Options { get; init; }
}

/// <summary>Accuracies over the val RoIs.</summary>
public sealed record RoiEvalScores(
    double Top1,
    double MeanPerClassAccuracy,
    IReadOnlyList<SizeAccuracy> BySize,
    IReadOnlyList<ClassAccuracy> PerClass,
    IReadOnlyList<Confusion> TopConfusions);

/// <summary>Top-1 within one COCO size bucket; null when the bucket has no val RoI.</summary>
public sealed record SizeAccuracy(BoxSizeBucket Bucket, int Count, double? Top1);

/// <summary>Top-1 of one category, under its dataset (COCO) id; null when it has no val RoI.</summary>
public sealed record ClassAccuracy(int CategoryId, string Name, int Count, double? Top1);

/// <summary>Val RoIs of <paramref name="TrueCategoryId"/> predicted as <paramref name="PredictedCategoryId"/>.</summary>
public sealed record Confusion(int TrueCategoryId, string TrueName, int PredictedCategoryId, string PredictedName, int Count);

/// <summary>RoIs used and boxes left out, per split.</summary>
public sealed record RoiCounts(int TrainRois, int ValRois, int TrainCrowdExcluded, int ValCrowdExcluded,
                               int TrainDegenerateSkipped, int ValDegenerateSkipped);
