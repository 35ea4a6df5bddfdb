namespace Scrl.Core.Training.Checkpoints;

/// <summary>
/// What a checkpoint's tensors alone cannot say: where training stood and what produced it.
/// <see cref="Epoch"/> and <see cref="BatchInEpoch"/> are the data position of the NEXT batch to train on.
/// </summary>
public sealed record CheckpointMeta
{
    public required long Step { get; init; }
    public required int Epoch { get; init; }
    public required int BatchInEpoch { get; init; }
    public required string Method { get; init; }
    public required string Backbone { get; init; }
    /// <summary>SHA-256 of the config JSON, so a resume with a different config is caught.</summary>
    public required string ConfigHash { get; init; }
    public DateTimeOffset CreatedUtc { get; init; }
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
}
