using System.Text.Json.Serialization;

namespace Scrl.Pipeline.Specs;

/// <summary>Whether a larger metric value is better.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ObjectiveGoal>))]
public enum ObjectiveGoal
{
    [JsonStringEnumMemberName("minimize")] Minimize,
    [JsonStringEnumMemberName("maximize")] Maximize,
}

/// <summary>The metric a sweep's leaderboard ranks runs by.</summary>
public sealed record SweepObjective
{
    /// <summary><c>{stage}.{metric}</c> as reported by the stage's job, e.g. <c>roi-eval.apBbox</c> or
    /// <c>finetune-faster-rcnn-coco-det-1x.bboxAp</c>. Default <c>pretrain.finalLoss</c>, the one metric every run has.</summary>
    public string Metric { get; init; } = "pretrain.finalLoss";

    /// <summary>Default <c>minimize</c> (the default metric is a loss).</summary>
    public ObjectiveGoal Goal { get; init; } = ObjectiveGoal.Minimize;

    public IReadOnlyList<ValidationError> Validate(string path)
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(Metric) || Metric.IndexOf('.') is <= 0 || Metric.EndsWith('.'))
            errors.Add(new($"{path}.metric", $"must look like stage.metric, was '{Metric}'"));
        if (!Enum.IsDefined(Goal)) errors.Add(new($"{path}.goal", $"is not a known goal, was {(int)Goal}"));
        return errors;
    }
}
