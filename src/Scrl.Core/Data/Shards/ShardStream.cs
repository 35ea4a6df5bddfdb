using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Scrl.Core.Randomness;

namespace Scrl.Core.Data.Shards;

/// <summary>A sample and the position just after it (save that one to resume after this sample).</summary>
public readonly record struct ShardStreamItem(ShardSample Sample, ShardPosition Next);

/// <summary>
/// Streams the samples of a shard set epoch after epoch: each epoch reads this rank's shards (see
/// <see cref="ShardEpochPlan"/>) one after another, each through a shuffle buffer seeded from (seed, epoch, shard),
/// on a background task that stays <see cref="ShardStreamOptions.PrefetchSamples"/> ahead.
/// </summary>
/// <remarks>
/// The shuffle buffer drains at the end of every shard, so samples never mix across shards. That is what makes
/// resuming exact and cheap: a position names a shard and an offset into its shuffled order, and resuming re-reads
/// only that one shard. Mixing across shards comes from the per-epoch shard order; keep shards small relative to an
/// epoch (and the buffer near a shard's sample count) so an epoch still looks well shuffled.
/// </remarks>
public sealed class ShardStream
{
    private const ulong BufferStream = 0x5348_4152_4442_5546; // "SHARDBUF"
    private readonly IShardSource _source;
    private readonly ShardStreamOptions _options;

    public ShardStream(ShardIndex index, IShardSource source, ShardStreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException("Invalid shard stream options: " + string.Join("; ", errors), nameof(options));
        Index = index;
        _source = source;
        _options = options;
    }

    public ShardIndex Index { get; }

    /// <summary>The shards (indices into <see cref="ShardIndex.Shards"/>) this rank reads in <paramref name="epoch"/>, in order.</summary>
    public int[] ShardsOf(long seed, int epoch) => ShardEpochPlan.ShardsOf(seed, epoch, Index.Shards.Count, _options.Rank, _options.WorldSize);

    /// <summary>Samples this rank reads in <paramref name="epoch"/>.</summary>
    public int SamplesInEpoch(long seed, int epoch) => ShardsOf(seed, epoch).Sum(s => Index.Shards[s].SampleCount);

    /// <summary>The position of the <paramref name="sampleInEpoch"/>-th sample this rank reads in <paramref name="epoch"/>.</summary>
    public ShardPosition PositionAt(long seed, int epoch, int sampleInEpoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sampleInEpoch);
        int[] shards = ShardsOf(seed, epoch);
        int remaining = sampleInEpoch;
        for (int cursor = 0; cursor < shards.Length; cursor++)
        {
            int count = Index.Shards[shards[cursor]].SampleCount;
            if (remaining < count) return new ShardPosition(epoch, cursor, remaining);
            remaining -= count;
        }
        if (remaining == 0) return new ShardPosition(epoch + 1, 0, 0);
        throw new ArgumentOutOfRangeException(nameof(sampleInEpoch), sampleInEpoch, $"epoch {epoch} has {sampleInEpoch - remaining} samples for this rank");
    }

    /// <summary>Reads from <paramref name="start"/> to the end of epoch <paramref name="endEpoch"/> - 1.</summary>
    /// <exception cref="InvalidDataException">A shard is malformed or holds another number of samples than the index says.</exception>
    public async IAsyncEnumerable<ShardStreamItem> ReadAsync(long seed, ShardPosition start, int endEpoch,
                                                             [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        CheckStart(seed, start);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateBounded<ShardStreamItem>(new BoundedChannelOptions(_options.PrefetchSamples) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(() => ProduceAsync(seed, start, endEpoch, channel.Writer, stop.Token), CancellationToken.None);
        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false)) yield return item;
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Expected: the consumer stopped early or was cancelled.
            }
        }
    }

    private async Task ProduceAsync(long seed, ShardPosition start, int endEpoch, ChannelWriter<ShardStreamItem> output, CancellationToken ct)
    {
        Exception? failure = null;
        try
        {
            for (int epoch = start.Epoch; epoch < endEpoch; epoch++)
            {
                int[] shards = ShardsOf(seed, epoch);
                for (int cursor = epoch == start.Epoch ? start.ShardCursor : 0; cursor < shards.Length; cursor++)
                {
                    int skip = epoch == start.Epoch && cursor == start.ShardCursor ? start.SampleOffset : 0;
                    var next = cursor + 1 < shards.Length ? new ShardPosition(epoch, cursor + 1, 0) : new ShardPosition(epoch + 1, 0, 0);
                    await ReadShardAsync(seed, epoch, cursor, shards[cursor], skip, next, output, ct).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e)   // not swallowed: completing the channel with it rethrows it in the consumer
        {
            failure = e;
        }
        output.TryComplete(failure);
    }

    /// <summary>Emits one shard's samples in shuffled order, skipping the first <paramref name="skip"/> (already consumed before a resume).</summary>
    private async Task ReadShardAsync(long seed, int epoch, int cursor, int shard, int skip, ShardPosition afterShard,
                                      ChannelWriter<ShardStreamItem> output, CancellationToken ct)
    {
        var info = Index.Shards[shard];
        var buffer = new ShuffleBuffer<ShardSample>(_options.ShuffleBufferSize, SeededRandom.For(seed, epoch, shard, BufferStream));
        int emitted = 0;
        async Task Emit(ShardSample sample)
        {
            int offset = emitted++;
            if (offset < skip) return;
            var next = offset + 1 < info.SampleCount ? new ShardPosition(epoch, cursor, offset + 1) : afterShard;
            await output.WriteAsync(new ShardStreamItem(sample, next), ct).ConfigureAwait(false);
        }

        await using (var stream = await _source.OpenReadAsync(info.Name, ct).ConfigureAwait(false))
        {
            int read = 0;
            await foreach (var sample in ShardTarReader.ReadAsync(stream, info.Name, ct).ConfigureAwait(false))
            {
                if (++read > info.SampleCount) break;   // reported below
                if (buffer.Add(sample, out var released)) await Emit(released).ConfigureAwait(false);
            }
            if (read != info.SampleCount)
                throw new InvalidDataException($"Shard {_source.Describe(info.Name)} holds {(read > info.SampleCount ? "more than " : "")}{read} samples; the index says {info.SampleCount}.");
        }
        foreach (var sample in buffer.Drain()) await Emit(sample).ConfigureAwait(false);
    }

    private void CheckStart(long seed, ShardPosition start)
    {
        if (start.Epoch < 0 || start.ShardCursor < 0 || start.SampleOffset < 0)
            throw new ArgumentOutOfRangeException(nameof(start), start, "must not be negative");
        int[] shards = ShardsOf(seed, start.Epoch);
        if (start.ShardCursor == 0 && start.SampleOffset == 0) return;   // an epoch start is valid even for a rank with no shards
        if (start.ShardCursor >= shards.Length || start.SampleOffset >= Index.Shards[shards[start.ShardCursor]].SampleCount)
            throw new ArgumentOutOfRangeException(nameof(start), start, $"is past the end of epoch {start.Epoch} for this rank");
    }
}
