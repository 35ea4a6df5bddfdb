namespace Scrl.Pipeline.Artifacts;

/// <summary>
/// Named, immutable-until-replaced byte blobs (checkpoints, shards, metrics, results) plus exclusive
/// claims. Implemented over a local folder and over Azure Blob storage with the same guarantees:
/// a name shows either its old content or its complete new content, never a partial write.
/// </summary>
/// <remarks>
/// Names are validated by <see cref="ArtifactName"/>. A missing artifact is reported as
/// <see cref="FileNotFoundException"/> by both stores; content that fails its integrity check as
/// <see cref="InvalidDataException"/>.
/// </remarks>
public interface IArtifactStore
{
    /// <summary>Lists committed artifacts whose names start with <paramref name="prefix"/>, in ordinal order.</summary>
    IAsyncEnumerable<ArtifactInfo> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens the artifact for sequential reading. When the store knows the content's MD5, the stream
    /// throws <see cref="InvalidDataException"/> at end of content if the bytes read do not match it.
    /// </summary>
    /// <exception cref="FileNotFoundException">No artifact has that name.</exception>
    Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Starts writing <paramref name="name"/>; nothing is visible until the stream is committed.</summary>
    Task<ArtifactWriteStream> OpenWriteAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Copies <paramref name="source"/> to the end and commits it under <paramref name="name"/>.</summary>
    async Task UploadAsync(string name, Stream source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        await using ArtifactWriteStream target = await OpenWriteAsync(name, cancellationToken).ConfigureAwait(false);
        await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
        await target.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the artifact; returns false when it did not exist.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Whether a committed artifact has that name.</summary>
    Task<bool> ExistsAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Tries to take the exclusive claim called <paramref name="name"/> for <paramref name="leaseDuration"/>.
    /// Returns null while another holder's claim is still unexpired. Claims live in their own namespace:
    /// they never appear in <see cref="ListAsync"/> and do not lock the artifact of the same name.
    /// </summary>
    Task<IArtifactClaim?> TryClaimAsync(string name, TimeSpan leaseDuration, CancellationToken cancellationToken = default);
}
