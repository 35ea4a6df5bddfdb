namespace Scrl.Pipeline.Specs;

/// <summary>The RoI linear evaluation stage: a quick read of localization quality before fine-tuning.</summary>
public sealed record RoiEvalSpec
{
    /// <summary>Whether the stage runs. Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Other backbones evaluated the same way for comparison: <c>random</c> (torchvision init of the run's
    /// backbone), or the artifact name of a checkpoint in the store (our <c>.ckpt</c>, an official SCRL checkpoint or a
    /// torchvision <c>.pth</c>, e.g. ImageNet-supervised weights uploaded once). Default none.</summary>
    public IReadOnlyList<string> Baselines { get; init; } = [];

    /// <summary>Labelled split the linear head trains on: a COCO root (its <c>train2017</c> split) or
    /// <c>instances.json,imageFolder</c>, as a path the workers can read. Default: the run's dataset, when it is a COCO root.</summary>
    public string? Train { get; init; }

    /// <summary>Labelled split the head is scored on, as <see cref="Train"/> (a COCO root gives <c>val2017</c>).
    /// Default: the run's dataset, when it is a COCO root.</summary>
    public string? Val { get; init; }

    /// <summary>Protocol options on top of the defaults, e.g. <c>variant</c> → <c>fpn</c>, <c>epochs</c> → <c>30</c>,
    /// <c>imageSize</c> → <c>640</c> (see docs/roi-eval.md). The worker checks them and fails the stage, listing every bad
    /// key. Default none.</summary>
    public IReadOnlyDictionary<string, string> Overrides { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<ValidationError> Validate(string path)
    {
        var errors = new List<ValidationError>();
        if (Baselines is null) return [new($"{path}.baselines", "must not be null")];
        errors.AddRange(StageOverrides.Validate($"{path}.overrides", Overrides, "epochs"));
        errors.AddRange(SplitLocation.Validate($"{path}.train", Train));
        errors.AddRange(SplitLocation.Validate($"{path}.val", Val));
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
