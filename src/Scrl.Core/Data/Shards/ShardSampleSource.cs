using System.Runtime.CompilerServices;
using Scrl.Core.Data.Loading;

namespace Scrl.Core.Data.Shards;

/// <summary>
/// Feeds tar shards to <see cref="PretrainDataLoader{TBatch}"/>: epoch order, shuffle and prefetch come from
/// <see cref="ShardStream"/>; the loader's decode threads decode the bytes. Sample index = the sample's key (its
/// position in the dataset), so augmentation seeds do not depend on where a sample landed in a shard.
/// </summary>
/// <remarks>
/// The loader needs the same number of samples every epoch. With one reader that is the whole set; with several
/// ranks the shard split changes per epoch and so would the counts, so this source takes the whole set (rank 0 of 1).
/// Multi-rank training reads <see cref="ShardStream"/> directly once data parallelism lands.
/// </remarks>
public sealed class ShardSampleSource : IPretrainSampleSource
{
    private readonly ShardStream _stream;

    /// <param name="options">Shuffle buffer and prefetch; the rank must be 0 of 1.</param>
    public ShardSampleSource(ShardIndex index, IShardSource source, ShardStreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.WorldSize != 1)
            throw new ArgumentException($"{nameof(ShardSampleSource)} reads every shard (worldSize 1); was rank {options.Rank} of {options.WorldSize}.", nameof(options));
        _stream = new ShardStream(index, source, options);
        Description = $"{index.SampleCount} samples in {index.Shards.Count} shards ({source.Describe(ShardFormat.IndexName)})";
    }

    public string Description { get; }

    public int SamplesPerEpoch => _stream.Index.SampleCount;

    public bool HasLabels => false;

    public IReadOnlyList<string> ClassNames => [];

    public async IAsyncEnumerable<LoaderSample> ReadEpochAsync(long seed, int epoch, int firstSample,
                                                               [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var start = _stream.PositionAt(seed, epoch, firstSample);
        await foreach (var item in _stream.ReadAsync(seed, start, epoch + 1, cancellationToken).ConfigureAwait(false))
            yield return LoaderSample.FromBytes(item.Sample.Index, null, $"shard sample {item.Sample.Key}.{item.Sample.ImageExtension}", item.Sample.Image);
    }
}
