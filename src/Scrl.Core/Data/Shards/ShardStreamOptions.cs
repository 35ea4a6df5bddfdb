using Scrl.Core.Configuration;

namespace Scrl.Core.Data.Shards;

/// <summary>Shuffling, rank split and prefetch settings of <see cref="ShardStream"/>.</summary>
public sealed record ShardStreamOptions
{
    /// <summary>Samples held by the shuffle buffer; 1 keeps each shard's file order.</summary>
    public int ShuffleBufferSize { get; init; } = 1000;

    /// <summary>This reader's rank; it reads the epoch's shards i with i % <see cref="WorldSize"/> == rank.</summary>
    public int Rank { get; init; }

    /// <summary>How many readers (GPUs, processes) share the shards.</summary>
    public int WorldSize { get; init; } = 1;

    /// <summary>Samples read ahead of the consumer on a background task.</summary>
    public int PrefetchSamples { get; init; } = 64;

    public IReadOnlyList<ValidationError> Validate(string path = "shardStream")
    {
        var errors = new List<ValidationError>();
        if (ShuffleBufferSize < 1) errors.Add(new($"{path}.shuffleBufferSize", $"must be >= 1, was {ShuffleBufferSize}"));
        if (WorldSize < 1) errors.Add(new($"{path}.worldSize", $"must be >= 1, was {WorldSize}"));
        if (Rank < 0 || Rank >= WorldSize) errors.Add(new($"{path}.rank", $"must be in [0, {WorldSize}), was {Rank}"));
        if (PrefetchSamples < 1) errors.Add(new($"{path}.prefetchSamples", $"must be >= 1, was {PrefetchSamples}"));
        return errors;
    }
}
