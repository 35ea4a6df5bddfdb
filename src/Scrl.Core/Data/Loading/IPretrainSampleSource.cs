namespace Scrl.Core.Data.Loading;

/// <summary>
/// What <see cref="PretrainDataLoader{TBatch}"/> reads: a fixed number of samples per epoch, in an order that depends
/// only on (seed, epoch), readable from any offset of an epoch so a resumed run sees exactly the same samples.
/// Implemented by <see cref="ImageListSampleSource"/> (files) and <c>Shards.ShardSampleSource</c> (tar shards).
/// </summary>
public interface IPretrainSampleSource
{
    /// <summary>Where the samples come from, for messages.</summary>
    string Description { get; }

    /// <summary>Samples in every epoch.</summary>
    int SamplesPerEpoch { get; }

    /// <summary>Whether samples carry class labels.</summary>
    bool HasLabels { get; }

    /// <summary>Class names in label order; empty when <see cref="HasLabels"/> is false.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>The samples of <paramref name="epoch"/> in order, from the <paramref name="firstSample"/>-th on.</summary>
    IAsyncEnumerable<LoaderSample> ReadEpochAsync(long seed, int epoch, int firstSample, CancellationToken cancellationToken = default);
}
