using Scrl.Core.Data.Datasets;
using Scrl.Core.Data.Shards;
using Scrl.Pipeline.Artifacts;

namespace Scrl.Cli.Datasets;

/// <summary>Which pass a <see cref="ShardPublisher"/> progress report belongs to.</summary>
public enum ShardPublishPhase { Hashing, Writing }

/// <summary>Progress of <see cref="ShardPublisher.PublishAsync"/>.</summary>
public readonly record struct ShardPublishProgress(ShardPublishPhase Phase, ShardWriteProgress Write);

/// <summary>A published shard set: its index, where it is, and whether an identical set was already there.</summary>
/// <param name="Prefix">Artifact-name prefix of the set, <c>{root}datasets/{hash}/shards/</c>.</param>
public sealed record PublishedShards(ShardIndex Index, ArtifactShardFolder Folder, bool Reused)
{
    public string Prefix => Folder.Prefix;
}

/// <summary>
/// Writes a dataset's shards to <c>datasets/{datasetHash}/shards/</c> of an artifact store, or finds that the store
/// already holds them.
/// </summary>
/// <remarks>
/// The dataset hash names the folder but is known only once every shard has been hashed. Two ways out: write under a
/// staging prefix and copy to the final name (Blob has no rename; a server-side copy of every shard doubles the storage
/// writes, and the upload happens before we can tell the set is already there), or hash first. We hash first: pass one
/// runs <see cref="ShardWriter"/> into a <see cref="DiscardingShardSink"/>, which costs one local read of the source
/// and sha256 (no upload, no copy), and an identical source is then recognised before a single byte is uploaded. The
/// writer is byte-deterministic, so pass two produces exactly the hashed bytes; the index goes out only after pass
/// two's hash is checked against pass one's, so a source that changed in between never gets a misnamed index.
/// Shards are committed one by one and the index last, so a set with an index is always whole; a crashed run leaves
/// index-less shards that the next run overwrites with the same bytes.
/// </remarks>
public static class ShardPublisher
{
    /// <summary>Hashes, then reuses or writes the set under <paramref name="root"/> (empty or ending with '/').</summary>
    /// <exception cref="InvalidDataException">The source changed between the passes, or the stored index disagrees.</exception>
    public static async Task<PublishedShards> PublishAsync(ImageDataset dataset, IArtifactStore store, string location, string root,
                                                           ShardWriterOptions options, IProgress<ShardPublishProgress>? progress = null,
                                                           CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(store);
        var planned = await ShardWriter.WriteAsync(dataset, new DiscardingShardSink(), options,
                                                   Forward(progress, ShardPublishPhase.Hashing), cancellationToken).ConfigureAwait(false);
        var folder = new ArtifactShardFolder(store, location, ShardsPrefix(root, planned.DatasetHash));

        if (await folder.ExistsAsync(ShardFormat.IndexName, cancellationToken).ConfigureAwait(false))
        {
            var stored = await ShardIndex.ReadAsync(folder, cancellationToken).ConfigureAwait(false);
            if (!stored.Shards.SequenceEqual(planned.Shards) || stored.SampleCount != planned.SampleCount)
                throw new InvalidDataException($"{folder.Describe(ShardFormat.IndexName)} has dataset hash {planned.DatasetHash} but other shards; refusing to reuse it.");
            return new PublishedShards(stored, folder, Reused: true);
        }

        var sink = new IndexHoldingSink(folder);
        var written = await ShardWriter.WriteAsync(dataset, sink, options, Forward(progress, ShardPublishPhase.Writing), cancellationToken).ConfigureAwait(false);
        if (written.DatasetHash != planned.DatasetHash)
            throw new InvalidDataException($"{dataset.Description} changed while it was sharded (dataset hash {planned.DatasetHash}, then {written.DatasetHash}); shard it again.");
        await sink.ReleaseIndexAsync(cancellationToken).ConfigureAwait(false);
        return new PublishedShards(written, folder, Reused: false);
    }

    /// <summary><c>{root}datasets/{hash}/shards/</c>.</summary>
    public static string ShardsPrefix(string root, string datasetHash)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (root.Length > 0 && !root.EndsWith('/')) throw new ArgumentException($"Root '{root}' must be empty or end with '/'.", nameof(root));
        return ArtifactName.ValidatePrefix(root + ArtifactName.Dataset(datasetHash, "shards") + "/");
    }

    private static PhaseProgress? Forward(IProgress<ShardPublishProgress>? progress, ShardPublishPhase phase) =>
        progress is null ? null : new PhaseProgress(progress, phase);

    /// <summary>Tags reports with their pass, on the writer's thread (<see cref="Progress{T}"/> would post them out of order).</summary>
    private sealed class PhaseProgress(IProgress<ShardPublishProgress> target, ShardPublishPhase phase) : IProgress<ShardWriteProgress>
    {
        public void Report(ShardWriteProgress value) => target.Report(new ShardPublishProgress(phase, value));
    }

    /// <summary>Passes shards straight through and keeps the index in memory until the caller has checked the hash.</summary>
    private sealed class IndexHoldingSink(ArtifactShardFolder folder) : IShardSink
    {
        private byte[]? _index;

        public async Task WriteAsync(string name, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
        {
            if (name != ShardFormat.IndexName)
            {
                await folder.WriteAsync(name, write, cancellationToken).ConfigureAwait(false);
                return;
            }
            using var buffer = new MemoryStream();
            await write(buffer, cancellationToken).ConfigureAwait(false);
            _index = buffer.ToArray();
        }

        public Task ReleaseIndexAsync(CancellationToken cancellationToken) =>
            folder.WriteAsync(ShardFormat.IndexName, (stream, ct) => stream.WriteAsync(_index ?? throw new InvalidOperationException("The writer wrote no index.")).AsTask(),
                              cancellationToken);
    }
}
