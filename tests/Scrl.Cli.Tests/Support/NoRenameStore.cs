using Scrl.Pipeline.Artifacts;

namespace Scrl.Cli.Tests.Support;

/// <summary>
/// A local folder store seen only through <see cref="IArtifactStore"/>, without its folder rename: publishing to it takes
/// the hash-first path that Blob stores take, on the local disk.
/// </summary>
public sealed class NoRenameStore(LocalFolderArtifactStore inner) : IArtifactStore
{
    public IAsyncEnumerable<ArtifactInfo> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

    public Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken = default) => inner.OpenReadAsync(name, cancellationToken);

    public Task<ArtifactWriteStream> OpenWriteAsync(string name, CancellationToken cancellationToken = default) => inner.OpenWriteAsync(name, cancellationToken);

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default) => inner.DeleteAsync(name, cancellationToken);

    public Task<bool> ExistsAsync(string name, CancellationToken cancellationToken = default) => inner.ExistsAsync(name, cancellationToken);

    public Task<IArtifactClaim?> TryClaimAsync(string name, TimeSpan leaseDuration, CancellationToken cancellationToken = default) =>
        inner.TryClaimAsync(name, leaseDuration, cancellationToken);
}
