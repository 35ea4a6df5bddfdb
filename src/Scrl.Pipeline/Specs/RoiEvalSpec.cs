namespace Scrl.Pipeline.Specs;

/// <summary>The RoI linear evaluation stage: a quick read of localization quality before fine-tuning.</summary>
public sealed record RoiEvalSpec
{
    /// <summary>Whether the stage runs. Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Other backbones evaluated the same way for comparison, e.g. <c>random</c>, <c>imagenet-supervised</c>,
    /// or an artifact name of a checkpoint. Default none.</summary>
    public IReadOnlyList<string> Baselines { get; init; } = [];

    public IReadOnlyList<ValidationError> Validate(string path)
    {
        var errors = new List<ValidationError>();
        if (Baselines is null) return [new($"{path}.baselines", "must not be null")];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Baselines.Count; i++)
        {
            string? baseline = Baselines[i];
            if (string.IsNullOrWhiteSpace(baseline)) errors.Add(new($"{path}.baselines[{i}]", "must not be empty"));
            else if (!seen.Add(baseline)) errors.Add(new($"{path}.baselines[{i}]", $"'{baseline}' is listed twice"));
        }
        if (!Enabled && Baselines.Count > 0)
            errors.Add(new($"{path}.baselines", "baselines are only evaluated when roiEval.enabled is true"));
        return errors;
    }
}
