namespace Scrl.Core.Configuration;

/// <summary>
/// A small RoI linear evaluation (C5 variant) of the online encoder every N pretraining steps, logged as
/// <c>roi_eval/*</c> metrics. It needs a labelled COCO-format dataset; off by default.
/// </summary>
public sealed record OnlineRoiEvalOptions
{
    /// <summary>Evaluate after every this many steps (default 0: off).</summary>
    public int EverySteps { get; init; } = 0;

    /// <summary>A COCO root (<c>annotations/instances_{train,val}2017.json</c> and <c>{train,val}2017/</c>).</summary>
    public string Source { get; init; } = "";

    /// <summary>RoIs drawn from each split, fixed for the whole run (default 300).</summary>
    public int MaxRoisPerSplit { get; init; } = 300;

    /// <summary>Head epochs over the cached features (default 10).</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Square image side (default 0: the pretraining <c>augment.inputSize</c>).</summary>
    public int ImageSize { get; init; } = 0;

    public IReadOnlyList<ValidationError> Validate(string path)
    {
        var errors = new List<ValidationError>();
        if (EverySteps < 0) errors.Add(new($"{path}.everySteps", $"must be >= 0, was {EverySteps}"));
        if (EverySteps > 0 && string.IsNullOrWhiteSpace(Source)) errors.Add(new($"{path}.source", "is required when everySteps > 0"));
        if (MaxRoisPerSplit < 2) errors.Add(new($"{path}.maxRoisPerSplit", $"must be >= 2, was {MaxRoisPerSplit}"));
        if (Epochs < 1) errors.Add(new($"{path}.epochs", $"must be >= 1, was {Epochs}"));
        if (ImageSize != 0 && ImageSize < 32) errors.Add(new($"{path}.imageSize", $"must be 0 or >= 32, was {ImageSize}"));
        return errors;
    }
}
