using Scrl.Core.Data.Shards;
using Scrl.Pipeline.Artifacts;

namespace Scrl.Cli.Datasets;

/// <summary>
/// A shard set stored under a prefix of an <see cref="IArtifactStore"/> (a local folder or Azure Blob): each shard
/// streams into an artifact write stream that is committed only when the shard is complete, and reads stream back.
/// </summary>
/// <remarks>
/// This adapter lives with the composition root, not in Scrl.Pipeline: Pipeline must not reference Scrl.Core (and with
/// it TorchSharp, which the Functions app would then ship), and Core must not know about Azure. The future worker
/// hosts it the same way.
/// </remarks>
public sealed class ArtifactShardFolder : IShardSink, IShardSource
{
    private readonly IArtifactStore _store;

    /// <param name="location">Where the store is, for messages (a folder or a container URL).</param>
    /// <param name="prefix">Artifact-name prefix of the shard files, ending with '/', e.g. <c>datasets/{hash}/shards/</c>.</param>
    public ArtifactShardFolder(IArtifactStore store, string location, string prefix)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        ArtifactName.ValidatePrefix(prefix);
        if (prefix.Length > 0 && !prefix.EndsWith('/')) throw new ArgumentException($"Prefix '{prefix}' must end with '/'.", nameof(prefix));
        _store = store;
        Location = location.TrimEnd('/');
        Prefix = prefix;
    }

    public string Location { get; }

    public string Prefix { get; }

    public async Task WriteAsync(string name, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        await using var stream = await _store.OpenWriteAsync(NameOf(name), cancellationToken).ConfigureAwait(false);
        await write(stream, cancellationToken).ConfigureAwait(false);
        await stream.CommitAsync(cancellationToken).ConfigureAwait(false);   // a failed write disposes uncommitted: nothing appears
    }

    public Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken = default) =>
        _store.OpenReadAsync(NameOf(name), cancellationToken);

    public string Describe(string name) => $"'{Location}/{Prefix}{name}'";

    /// <summary>Whether the store holds <paramref name="name"/> under this prefix.</summary>
    public Task<bool> ExistsAsync(string name, CancellationToken cancellationToken = default) =>
        _store.ExistsAsync(NameOf(name), cancellationToken);

    // Shard files are plain names from the index; a '/' would reach outside the prefix.
    private string NameOf(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Contains('/')) throw new ArgumentException($"'{name}' is not a plain shard file name.", nameof(name));
        return ArtifactName.Validate(Prefix + name, nameof(name));
    }
}
