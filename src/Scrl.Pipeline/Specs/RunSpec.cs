using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Scrl.Pipeline.Specs;

/// <summary>
/// What a run is: the dataset to pretrain on, the pretraining recipe, and the evaluations that follow.
/// Read from JSON with <see cref="SpecJson"/>; check with <see cref="Validate"/> before starting a run.
/// </summary>
public sealed partial record RunSpec
{
    /// <summary>Run id and Durable instance id, <c>[a-z0-9-]{1,63}</c>. Optional: the starter generates one
    /// (<see cref="RunIds.New"/>) when it is missing.</summary>
    public string? RunId { get; init; }

    /// <summary>The source images. Required.</summary>
    [JsonRequired]
    public DatasetSpec Dataset { get; init; } = new();

    /// <summary>Default <c>scrl</c>.</summary>
    public PretrainMethod Method { get; init; } = PretrainMethod.Scrl;

    /// <summary>Default <c>resnet50</c>, as in the paper.</summary>
    public Backbone Backbone { get; init; } = Backbone.ResNet50;

    /// <summary>Name of the pretraining config preset the worker starts from (<c>scrl_200ep</c>, <c>scrl_1000ep</c>,
    /// <c>byol_200ep</c>, <c>demo</c>, ...). Default <c>scrl_200ep</c>.</summary>
    public string Preset { get; init; } = "scrl_200ep";

    /// <summary>Config keys the worker sets on top of the preset, as dotted camelCase paths to values
    /// (<c>optim.baseLearningRate</c> → <c>0.3</c>). The worker checks them against the config and fails the
    /// pretrain stage, listing every bad key, if they do not fit. Default none.</summary>
    public IReadOnlyDictionary<string, string> Overrides { get; init; } = new Dictionary<string, string>();

    /// <summary>Default: enabled, no baselines.</summary>
    public RoiEvalSpec RoiEval { get; init; } = new();

    /// <summary>Downstream detection jobs, run in parallel after pretraining. Default none.</summary>
    public IReadOnlyList<FinetuneTaskSpec> Finetune { get; init; } = [];

    /// <summary>Deadlines and retries per stage.</summary>
    public StagePolicies Stages { get; init; } = new();

    /// <summary>Returns every problem of the spec, each with its JSON path under <paramref name="path"/>; empty when valid.</summary>
    public IReadOnlyList<ValidationError> Validate(string path = "$")
    {
        var errors = new List<ValidationError>();
        if (RunId is not null && !RunIdPattern().IsMatch(RunId))
            errors.Add(new($"{path}.runId", $"must be 1-63 lowercase letters, digits or '-', was '{RunId}'"));
        if (Dataset is null) errors.Add(new($"{path}.dataset", "is required"));
        else errors.AddRange(Dataset.Validate($"{path}.dataset"));
        if (!Enum.IsDefined(Method)) errors.Add(new($"{path}.method", $"is not a known method, was {(int)Method}"));
        if (!Enum.IsDefined(Backbone)) errors.Add(new($"{path}.backbone", $"is not a known backbone, was {(int)Backbone}"));
        if (Preset is null || !PresetPattern().IsMatch(Preset))
            errors.Add(new($"{path}.preset", $"must be a preset name of letters, digits, '_' or '-', was '{Preset}'"));
        errors.AddRange(StageOverrides.Validate($"{path}.overrides", Overrides, "optim.baseLearningRate"));
        if (RoiEval is null) errors.Add(new($"{path}.roiEval", "must not be null"));
        else errors.AddRange(RoiEval.Validate($"{path}.roiEval"));
        if (RoiEval is { Enabled: true } && Dataset is not null && Dataset.Format != DatasetFormat.Coco)
        {
            if (RoiEval.Train is null) errors.Add(new($"{path}.roiEval.train", "is required when the dataset is not a COCO root"));
            if (RoiEval.Val is null) errors.Add(new($"{path}.roiEval.val", "is required when the dataset is not a COCO root"));
        }
        ValidateFinetune($"{path}.finetune", errors);
        if (Stages is null) errors.Add(new($"{path}.stages", "must not be null"));
        else errors.AddRange(Stages.Validate($"{path}.stages"));
        return errors;
    }

    private void ValidateFinetune(string path, List<ValidationError> errors)
    {
        if (Finetune is null)
        {
            errors.Add(new(path, "must not be null"));
            return;
        }
        var stages = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Finetune.Count; i++)
        {
            FinetuneTaskSpec? task = Finetune[i];
            if (task is null)
            {
                errors.Add(new($"{path}[{i}]", "must not be null"));
                continue;
            }
            errors.AddRange(task.Validate($"{path}[{i}]"));
            if (task.Train is null && Dataset is not null && Dataset.Format != task.DatasetFormat)
                errors.Add(new($"{path}[{i}].train", $"is required: the run's dataset is {Dataset.Format}, and {task.StageName} reads {task.DatasetFormat}"));
            if (!stages.Add(task.StageName)) errors.Add(new($"{path}[{i}]", $"{task.StageName} is listed twice"));
        }
    }

    [GeneratedRegex("^[a-z0-9-]{1,63}$")]
    internal static partial Regex RunIdPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,100}$")]
    private static partial Regex PresetPattern();
}
