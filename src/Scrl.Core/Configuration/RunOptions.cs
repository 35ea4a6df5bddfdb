namespace Scrl.Core.Configuration;

/// <summary>Length, seeding, checkpointing and logging of a run.</summary>
public sealed record RunOptions
{
    public int BatchSize { get; init; } = 256;
    public int Epochs { get; init; } = 200;
    /// <summary>Stop after this many steps even if epochs remain (0: run all epochs). Schedules still span all epochs.</summary>
    public long MaxSteps { get; init; } = 0;
    public long Seed { get; init; } = 0;
    public int CheckpointEverySteps { get; init; } = 500;
    public int LogEverySteps { get; init; } = 10;
    /// <summary>Checkpoints kept besides the latest; older ones are deleted.</summary>
    public int KeepCheckpoints { get; init; } = 3;

    public IReadOnlyList<ValidationError> Validate(string path)
    {
        var errors = new List<ValidationError>();
        if (BatchSize < 2) errors.Add(new($"{path}.batchSize", $"must be >= 2 (BatchNorm needs a batch), was {BatchSize}"));
        if (Epochs < 1) errors.Add(new($"{path}.epochs", $"must be >= 1, was {Epochs}"));
        if (MaxSteps < 0) errors.Add(new($"{path}.maxSteps", $"must be >= 0, was {MaxSteps}"));
        if (CheckpointEverySteps < 1) errors.Add(new($"{path}.checkpointEverySteps", $"must be >= 1, was {CheckpointEverySteps}"));
        if (LogEverySteps < 1) errors.Add(new($"{path}.logEverySteps", $"must be >= 1, was {LogEverySteps}"));
        if (KeepCheckpoints < 0) errors.Add(new($"{path}.keepCheckpoints", $"must be >= 0, was {KeepCheckpoints}"));
        return errors;
    }
}
