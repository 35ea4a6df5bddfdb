using System.Runtime.CompilerServices;
using Azure;
using Azure.Identity;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Scrl.Pipeline.Artifacts;

/// <summary>
/// <see cref="IArtifactStore"/> over an Azure Blob container (Azurite locally). Writes stage blocks and
/// commit the block list at the end, so a name never shows partial content; the whole-content MD5 is
/// stored as Content-MD5 and checked on read; claims are leases on marker blobs under <c>.claims/</c>.
/// </summary>
public sealed class BlobArtifactStore : IArtifactStore
{
    /// <summary>Shortest lease the service grants.</summary>
    public static readonly TimeSpan MinLeaseDuration = TimeSpan.FromSeconds(15);

    /// <summary>Longest finite lease the service grants.</summary>
    public static readonly TimeSpan MaxLeaseDuration = TimeSpan.FromSeconds(60);

    // Transactional MD5/CRC64 on a ranged download is only served for ranges up to 4 MiB.
    private const int ValidatedReadBufferBytes = 4 << 20;
    private const string ClaimsPrefix = ".claims/";

    private readonly BlobContainerClient _container;
    private readonly BlobArtifactStoreOptions _options;
    private readonly TimeProvider _clock;

    /// <summary>Wraps an existing container client (a DI singleton); the container must exist.</summary>
    public BlobArtifactStore(BlobContainerClient container, BlobArtifactStoreOptions options, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _container = container;
        _options = options;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Builds the client from <paramref name="options"/>; sends nothing. The container must exist: infra creates
    /// it in Azure, where the workloads' roles are scoped to it and could not create it.</summary>
    public static BlobArtifactStore Open(BlobArtifactStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new BlobArtifactStore(ServiceClient(options).GetBlobContainerClient(options.ContainerName), options);
    }

    /// <summary>Creates the container if missing, then opens it: what the emulator does at its start-up, standing in for
    /// infra.</summary>
    public static async Task<BlobArtifactStore> CreateContainerIfNotExistsAsync(BlobArtifactStoreOptions options, CancellationToken cancellationToken = default)
    {
        BlobArtifactStore store = Open(options);
        await store._container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return store;
    }

    private static BlobServiceClient ServiceClient(BlobArtifactStoreOptions options) => string.IsNullOrWhiteSpace(options.ConnectionString)
        ? new BlobServiceClient(options.ServiceUri, new DefaultAzureCredential())
        : new BlobServiceClient(options.ConnectionString);

    /// <inheritdoc />
    public async IAsyncEnumerable<ArtifactInfo> ListAsync(
        string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArtifactName.ValidatePrefix(prefix);
        var query = new GetBlobsOptions { Prefix = prefix.Length == 0 ? null : prefix };
        await foreach (BlobItem item in _container.GetBlobsAsync(query, cancellationToken).ConfigureAwait(false))
        {
            if (item.Name.StartsWith('.') || item.Name.Contains("/.", StringComparison.Ordinal)) continue; // store-internal
            yield return new ArtifactInfo(
                item.Name, item.Properties.ContentLength ?? 0, item.Properties.LastModified ?? default, item.Properties.ContentHash);
        }
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken = default)
    {
        BlobClient blob = _container.GetBlobClient(ArtifactName.Validate(name));
        // One GET answers with the content, ETag and Content-MD5 of one version, so an overwrite racing the
        // open cannot fail it; the SDK resumes a broken download pinned to that ETag, so an overwrite during
        // the read fails it (412) instead of mixing versions.
        BlobDownloadStreamingResult download;
        try
        {
            download = await blob.DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new FileNotFoundException($"Artifact '{name}' does not exist in container '{_container.Name}'.", name, ex);
        }
        if (download.Details.ContentHash is { Length: 16 } md5) return new Md5VerifyingReadStream(download.Content, md5, name);

        // Without a whole-content MD5, per-range checksums are the only protection.
        ETag version = download.Details.ETag;
        download.Dispose();
        var options = new BlobOpenReadOptions(allowModifications: false)
        {
            BufferSize = ValidatedReadBufferBytes,
            Conditions = new BlobRequestConditions { IfMatch = version },
            TransferValidation = new DownloadTransferValidationOptions { ChecksumAlgorithm = _options.TransferChecksum },
        };
        return await blob.OpenReadAsync(options, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<ArtifactWriteStream> OpenWriteAsync(string name, CancellationToken cancellationToken = default)
    {
        BlockBlobClient blob = _container.GetBlockBlobClient(ArtifactName.Validate(name));
        return Task.FromResult<ArtifactWriteStream>(new BlockBlobArtifactWriteStream(
            name, blob, _options.BlockSizeBytes, _options.MaxConcurrency, _options.TransferChecksum));
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        BlobClient blob = _container.GetBlobClient(ArtifactName.Validate(name));
        return await blob.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken = default)
    {
        BlobClient blob = _container.GetBlobClient(ArtifactName.Validate(name));
        return await blob.ExistsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Blob leases last 15 to 60 seconds.</remarks>
    public async Task<IArtifactClaim?> TryClaimAsync(string name, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(leaseDuration, MinLeaseDuration);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(leaseDuration, MaxLeaseDuration);
        BlobClient marker = _container.GetBlobClient(ClaimsPrefix + ArtifactName.Validate(name));
        await EnsureMarkerExistsAsync(marker, cancellationToken).ConfigureAwait(false);

        BlobLeaseClient lease = marker.GetBlobLeaseClient(Guid.NewGuid().ToString());
        DateTimeOffset sentAt = _clock.GetUtcNow();
        try
        {
            await lease.AcquireAsync(leaseDuration, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.LeaseAlreadyPresent)
        {
            return null;
        }
        return new BlobLeaseClaim(name, lease, leaseDuration, sentAt, _clock);
    }

    private static async Task EnsureMarkerExistsAsync(BlobClient marker, CancellationToken cancellationToken)
    {
        try
        {
            // If-None-Match: * so an existing (possibly leased) marker is left untouched.
            var options = new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } };
            await marker.UploadAsync(BinaryData.Empty, options, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Already there (412 ConditionNotMet, or 409 LeaseIdMissing when someone holds it).
        }
    }
}
