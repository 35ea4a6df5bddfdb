using Azure.Storage;

namespace Scrl.Pipeline.Artifacts;

/// <summary>Where a <see cref="BlobArtifactStore"/> lives and how it moves bytes.</summary>
/// <remarks>
/// Give either <see cref="ServiceUri"/> (authenticated with <c>DefaultAzureCredential</c>: managed identity
/// in Azure, developer credentials locally) or <see cref="ConnectionString"/> (Azurite, or a deliberate
/// opt-out of Entra ID). Connection strings come from configuration, never from code.
/// </remarks>
public sealed record BlobArtifactStoreOptions
{
    /// <summary>Smallest block size the store accepts.</summary>
    public const int MinBlockSizeBytes = 1 << 20;

    /// <summary>The account's blob endpoint, e.g. <c>https://myaccount.blob.core.windows.net</c>.</summary>
    public Uri? ServiceUri { get; init; }

    /// <summary>A storage connection string; takes precedence over <see cref="ServiceUri"/>.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>The container holding the artifacts (it must exist).</summary>
    public string ContainerName { get; init; } = "artifacts";

    /// <summary>
    /// Size of each staged block. 16 MiB keeps a 10 GB checkpoint at 640 blocks (the limit is 50,000)
    /// while bounding write buffering to (<see cref="MaxConcurrency"/> + 1) blocks.
    /// </summary>
    public int BlockSizeBytes { get; init; } = 16 << 20;

    /// <summary>How many blocks one write stream uploads at once.</summary>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>
    /// Per-request checksum the service verifies on upload and the SDK verifies on download
    /// (<see cref="StorageChecksumAlgorithm.Auto"/> is CRC64). This guards each transfer; the whole-content
    /// MD5 stored as Content-MD5 guards the artifact end to end.
    /// </summary>
    public StorageChecksumAlgorithm TransferChecksum { get; init; } = StorageChecksumAlgorithm.Auto;

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ConnectionString) && ServiceUri is null)
            problems.Add("set ServiceUri (Entra ID via DefaultAzureCredential) or ConnectionString");
        if (ServiceUri is { IsAbsoluteUri: false }) problems.Add($"ServiceUri '{ServiceUri}' must be absolute");
        if (string.IsNullOrWhiteSpace(ContainerName)) problems.Add("ContainerName must not be empty");
        if (BlockSizeBytes is < MinBlockSizeBytes or > 256 << 20)
            problems.Add($"BlockSizeBytes must be in [{MinBlockSizeBytes}, {256 << 20}], was {BlockSizeBytes}");
        if (MaxConcurrency is < 1 or > 64) problems.Add($"MaxConcurrency must be in [1, 64], was {MaxConcurrency}");
        if (problems.Count > 0)
            throw new ArgumentException("Invalid BlobArtifactStoreOptions: " + string.Join("; ", problems) + ".");
    }
}
