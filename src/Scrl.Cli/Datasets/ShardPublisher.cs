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
/// The dataset hash names the folder but is known only once every shard has been hashed. A local folder store can
/// rename a finished folder into place, so there the set is written once, into a hidden staging folder, and moved to
/// the name its hash gives (or dropped when an identical set is already there). Blob has no rename: a server-side copy
/// of every shard would double the storage writes, and the upload would happen before we could tell the set is
/// already there. So for any other store we hash first: pass one runs <see cref="ShardWriter"/> into a
/// <see cref="DiscardingShardSink"/>, which costs one local read of the source and sha256 (no upload, no copy), and an
/// identical source is then recognised before a single byte is uploaded. The writer is byte-deterministic, so pass two
/// produces exactly the hashed bytes; the index goes out only after pass two's hash is checked against pass one's, so
/// a source that changed in between never gets a misnamed index. Either way a set with an index is always whole: the
/// staging folder appears all at once, and uploaded shards are committed one by one with the index last, so a crashed
/// run leaves index-less shards that the next run overwrites with the same bytes.
/// </remarks>
public static class ShardPublisher
{
    /// <summary>
    /// Validates <paramref name="dataset"/> as <see cref="DatasetValidator.EnsureValid"/> does, then publishes what is
    /// valid, reading each image once when the dataset is clean: annotations are checked up front and images as the
    /// writer copies them (<see cref="ShardWriterOptions.CheckImages"/>). The first bad image abandons that write, which
    /// publishes nothing; the validator then reports every problem (or, with SkipBad, drops the bad records) and what is
    /// left is written again.
    /// </summary>
    /// <exception cref="InvalidDataException">Problems and no SkipBad (the message lists them all), no valid record left, or <see cref="PublishAsync"/>'s.</exception>
    public static async Task<PublishedShards> ValidateAndPublishAsync(ImageDataset dataset, DatasetValidationOptions validation, IArtifactStore store,
                                                                      string location, string root, ShardWriterOptions options,
                                                                      IProgress<ShardPublishProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(options);
        if (validation.DecodeImages && dataset.Records.Count > 0 && DatasetValidator.ValidateAnnotations(dataset, validation).IsValid)
        {
            try
            {
                return await PublishAsync(dataset, store, location, root, options with { CheckImages = true }, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (DatasetProblemException)
            {
                // The validator below finds this problem again, with all the others.
            }
        }
        var valid = DatasetValidator.EnsureValid(dataset, validation, cancellationToken);
        if (valid.Records.Count == 0) throw new InvalidDataException($"{dataset.Description}: no valid images left to shard.");
        return await PublishAsync(valid, store, location, root, options with { CheckImages = false }, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the set under <paramref name="root"/> (empty or ending with '/'), or reuses an identical one there.</summary>
    /// <exception cref="InvalidDataException">The source changed between the passes, or the stored index disagrees.</exception>
    public static async Task<PublishedShards> PublishAsync(ImageDataset dataset, IArtifactStore store, string location, string root,
                                                           ShardWriterOptions options, IProgress<ShardPublishProgress>? progress = null,
                                                           CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(store);
        if (store is LocalFolderArtifactStore local)
            return await PublishInOnePassAsync(dataset, local, location, root, options, progress, cancellationToken).ConfigureAwait(false);

        var planned = await ShardWriter.WriteAsync(dataset, new DiscardingShardSink(), options,
                                                   Forward(progress, ShardPublishPhase.Hashing), cancellationToken).ConfigureAwait(false);
        var folder = new ArtifactShardFolder(store, location, ShardsPrefix(root, planned.DatasetHash));
        if (await FindIdenticalAsync(folder, planned, cancellationToken).ConfigureAwait(false) is { } stored) return stored;

        var sink = new IndexHoldingSink(folder);
        // Pass one checked the images (when asked to); these are the same bytes again.
        var written = await ShardWriter.WriteAsync(dataset, sink, options with { CheckImages = false }, Forward(progress, ShardPublishPhase.Writing),
                                                   cancellationToken).ConfigureAwait(false);
        if (written.DatasetHash != planned.DatasetHash)
            throw new InvalidDataException($"{dataset.Description} changed while it was sharded (dataset hash {planned.DatasetHash}, then {written.DatasetHash}); shard it again.");
        await sink.ReleaseIndexAsync(cancellationToken).ConfigureAwait(false);
        return new PublishedShards(written, folder, Reused: false);
    }

    // Shards and index go through ShardFolder (atomic files, on the disk before their rename unless SyncToDisk is off)
    // into the staging folder, which is deleted unless it moved into place.
    private static async Task<PublishedShards> PublishInOnePassAsync(ImageDataset dataset, LocalFolderArtifactStore store, string location, string root,
                                                                     ShardWriterOptions options, IProgress<ShardPublishProgress>? progress, CancellationToken ct)
    {
        string staging = store.CreateStagingFolder();
        try
        {
            var written = await ShardWriter.WriteAsync(dataset, new ShardFolder(staging, options.SyncToDisk), options, Forward(progress, ShardPublishPhase.Writing), ct).ConfigureAwait(false);
            var folder = new ArtifactShardFolder(store, location, ShardsPrefix(root, written.DatasetHash));
            if (await FindIdenticalAsync(folder, written, ct).ConfigureAwait(false) is { } stored) return stored;
            store.MoveIntoPlace(staging, folder.Prefix);
            return new PublishedShards(written, folder, Reused: false);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    // The set already under `folder`, when it has an index; it must hold exactly the planned shards.
    private static async Task<PublishedShards?> FindIdenticalAsync(ArtifactShardFolder folder, ShardIndex planned, CancellationToken ct)
    {
        if (!await folder.ExistsAsync(ShardFormat.IndexName, ct).ConfigureAwait(false)) return null;
        var stored = await ShardIndex.ReadAsync(folder, ct).ConfigureAwait(false);
        if (!stored.Shards.SequenceEqual(planned.Shards) || stored.SampleCount != planned.SampleCount)
            throw new InvalidDataException($"{folder.Describe(ShardFormat.IndexName)} has dataset hash {planned.DatasetHash} but other shards; refusing to reuse it.");
        return new PublishedShards(stored, folder, Reused: true);
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
