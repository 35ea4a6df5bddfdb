using System.Text.Json.Serialization;

namespace Scrl.Pipeline.Specs;

/// <summary>
/// A grid of runs: <see cref="Base"/> with every combination of the <see cref="Grid"/> values applied as pretraining
/// overrides, run with at most <see cref="MaxConcurrency"/> in flight, then ranked on a leaderboard.
/// </summary>
public sealed record SweepSpec
{
    /// <summary>Sweep id and Durable instance id, <c>[a-z0-9-]{1,59}</c> (room for the <c>-000</c> run suffix).
    /// Optional: the starter generates one (<see cref="RunIds.NewSweep"/>).</summary>
    public string? SweepId { get; init; }

    /// <summary>The spec every run starts from; its <c>runId</c> must be left out. Required.</summary>
    [JsonRequired]
    public RunSpec Base { get; init; } = new();

    /// <summary>Override key → the values to try, e.g. <c>optim.baseLearningRate</c> → [<c>0.3</c>, <c>0.45</c>].
    /// Runs are the cartesian product, keys in ordinal order. Required, at least one key.</summary>
    [JsonRequired]
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Grid { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Most runs in flight at once (GPU quota). Default 2.</summary>
    public int MaxConcurrency { get; init; } = 2;

    /// <summary>What the leaderboard ranks by.</summary>
    public SweepObjective Objective { get; init; } = new();

    /// <summary>Largest grid accepted: each run is a multi-GPU-day job, and the ids carry a 3-digit index.</summary>
    public const int MaxRuns = 1000;

    /// <summary>Returns every problem of the sweep and of its base spec, with JSON paths; empty when valid.</summary>
    public IReadOnlyList<ValidationError> Validate(string path = "$")
    {
        var errors = new List<ValidationError>();
        if (SweepId is not null && (SweepId.Length > 59 || !RunSpec.RunIdPattern().IsMatch(SweepId)))
            errors.Add(new($"{path}.sweepId", $"must be 1-59 lowercase letters, digits or '-', was '{SweepId}'"));
        if (Base is null) errors.Add(new($"{path}.base", "is required"));
        else
        {
            errors.AddRange(Base.Validate($"{path}.base"));
            if (Base.RunId is not null) errors.Add(new($"{path}.base.runId", "must be left out: each run of a sweep gets its own id"));
        }
        ValidateGrid($"{path}.grid", errors);
        if (MaxConcurrency < 1) errors.Add(new($"{path}.maxConcurrency", $"must be >= 1, was {MaxConcurrency}"));
        if (Objective is null) errors.Add(new($"{path}.objective", "must not be null"));
        else errors.AddRange(Objective.Validate($"{path}.objective"));
        return errors;
    }

    /// <summary>How many runs the grid expands to.</summary>
    [JsonIgnore]
    public long RunCount => Grid?.Values.Aggregate(1L, (product, values) => product * (values?.Count ?? 0)) ?? 0;

    private void ValidateGrid(string path, List<ValidationError> errors)
    {
        if (Grid is null || Grid.Count == 0)
        {
            errors.Add(new(path, "needs at least one override key with values"));
            return;
        }
        foreach ((string key, IReadOnlyList<string>? values) in Grid)
        {
            string keyPath = $"{path}['{key}']";
            if (!StageOverrides.IsKey(key)) errors.Add(StageOverrides.KeyError(keyPath, "optim.baseLearningRate"));
            if (values is null || values.Count == 0)
            {
                errors.Add(new(keyPath, "needs at least one value"));
                continue;
            }
            if (values.Any(string.IsNullOrWhiteSpace)) errors.Add(new(keyPath, "values must not be empty"));
            if (values.Distinct(StringComparer.Ordinal).Count() != values.Count) errors.Add(new(keyPath, "values must be distinct"));
        }
        if (RunCount > MaxRuns) errors.Add(new(path, $"expands to {RunCount} runs; the maximum is {MaxRuns}"));
    }
}
