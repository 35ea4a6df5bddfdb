using Scrl.Core.Configuration;

namespace Scrl.Core.Data.Loading;

/// <summary>Batching, shuffling and background-decoding settings of <see cref="PretrainDataLoader{TBatch}"/>.</summary>
public sealed record PretrainDataLoaderOptions
{
    public int BatchSize { get; init; } = 256;
    /// <summary>Seeds the per-epoch permutation.</summary>
    public long Seed { get; init; }
    /// <summary>Drop the last incomplete batch of each epoch, as SCRL/BYOL pretraining does (BatchNorm dislikes tiny batches).</summary>
    public bool DropLast { get; init; } = true;
    /// <summary>Batches decoded ahead of the consumer; bounds the memory held by the loader.</summary>
    public int PrefetchBatches { get; init; } = 4;
    /// <summary>Background threads that decode (and transform) batches; each works on one batch at a time, its tensor ops on one core.</summary>
    public int DecodeWorkers { get; init; } = 2;

    public IReadOnlyList<ValidationError> Validate(string path = "loader")
    {
        var errors = new List<ValidationError>();
        if (BatchSize <= 0) errors.Add(new($"{path}.batchSize", $"must be > 0, was {BatchSize}"));
        if (PrefetchBatches <= 0) errors.Add(new($"{path}.prefetchBatches", $"must be > 0, was {PrefetchBatches}"));
        if (DecodeWorkers <= 0) errors.Add(new($"{path}.decodeWorkers", $"must be > 0, was {DecodeWorkers}"));
        return errors;
    }
}
