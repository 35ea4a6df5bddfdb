using System.Net;
using Azure.Storage;
using Scrl.Pipeline.Artifacts;

namespace Scrl.Cli.Datasets;

/// <summary>
/// A place the CLI reads or writes datasets: a local folder, or a Blob container URL with an optional prefix,
/// <c>https://{account}.blob.core.windows.net/{container}/{prefix}</c>. Emulator URLs are path-style
/// (<c>http://127.0.0.1:10000/{account}/{container}/{prefix}</c>).
/// </summary>
/// <param name="Display">The location as given, for messages.</param>
/// <param name="LocalFolder">The full folder path, or null for a blob location.</param>
/// <param name="ServiceUri">The account's blob endpoint, or null for a local folder.</param>
/// <param name="Container">The blob container, or null for a local folder.</param>
/// <param name="Prefix">Artifact-name prefix inside the store, empty or ending with '/'.</param>
public sealed record StorageLocation(string Display, string? LocalFolder, Uri? ServiceUri, string? Container, string Prefix)
{
    /// <summary>Environment variable holding a storage connection string (Azurite, or keys instead of Entra ID).</summary>
    public const string ConnectionStringVariable = "AZURE_STORAGE_CONNECTION_STRING";

    public bool IsBlob => ServiceUri is not null;

    /// <summary>A path-style URL (loopback, IP address or explicit port): Azurite or another emulator.</summary>
    public bool IsEmulator => ServiceUri is { AbsolutePath.Length: > 1 };

    /// <summary>The store's root for messages: the folder, or the container URL (artifact names follow it).</summary>
    public string StoreDisplay => LocalFolder ?? $"{ServiceUri!.AbsoluteUri.TrimEnd('/')}/{Container}";

    /// <summary>An http(s) URL is a blob location; anything else is a local folder.</summary>
    /// <exception cref="ArgumentException">A blob URL without a container, or with characters artifact names forbid.</exception>
    public static StorageLocation Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return new StorageLocation(text, Path.GetFullPath(text), null, null, "");

        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        // Emulators and IP endpoints put the account in the path; real accounts put it in the host name.
        bool pathStyle = uri.IsLoopback || IPAddress.TryParse(uri.Host, out _) || !uri.IsDefaultPort;
        int skip = pathStyle ? 1 : 0;
        if (segments.Length <= skip)
            throw new ArgumentException($"Blob URL '{text}' names no container; use https://<account>.blob.core.windows.net/<container>[/<prefix>].");
        var service = new Uri(uri.GetLeftPart(UriPartial.Authority) + (pathStyle ? "/" + segments[0] : ""));
        string prefix = string.Join('/', segments.Skip(skip + 1));
        if (prefix.Length > 0) prefix = ArtifactName.ValidatePrefix(prefix + "/", "prefix");
        return new StorageLocation(text, null, service, segments[skip], prefix);
    }

    /// <summary>
    /// Opens the store. A blob store authenticates with <paramref name="connectionString"/> when given, else with
    /// the <see cref="ConnectionStringVariable"/> environment variable, else with <c>DefaultAzureCredential</c>.
    /// </summary>
    public async Task<IArtifactStore> OpenStoreAsync(string? connectionString, CancellationToken cancellationToken = default)
    {
        if (LocalFolder is not null) return new LocalFolderArtifactStore(LocalFolder);
        connectionString = string.IsNullOrWhiteSpace(connectionString) ? Environment.GetEnvironmentVariable(ConnectionStringVariable) : connectionString;
        var options = new BlobArtifactStoreOptions
        {
            ServiceUri = ServiceUri,
            ConnectionString = string.IsNullOrWhiteSpace(connectionString) ? null : connectionString,
            ContainerName = Container!,
            // Azurite does not acknowledge CRC64 structured-message uploads (what Auto picks); per-request MD5 works on both.
            TransferChecksum = IsEmulator ? StorageChecksumAlgorithm.MD5 : StorageChecksumAlgorithm.Auto,
        };
        // In Azure the container is infra's, and a role scoped to it cannot create it; on Azurite a new one is made.
        return IsEmulator
            ? await BlobArtifactStore.CreateContainerIfNotExistsAsync(options, cancellationToken).ConfigureAwait(false)
            : BlobArtifactStore.Open(options);
    }
}
