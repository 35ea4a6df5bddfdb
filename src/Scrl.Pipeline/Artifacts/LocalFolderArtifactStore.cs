using System.Runtime.CompilerServices;

namespace Scrl.Pipeline.Artifacts;

/// <summary>
/// <see cref="IArtifactStore"/> over a folder: the main job's and the CLI's store. Writes go to a hidden
/// temp file renamed into place on commit; each artifact's MD5 sits in a hidden sidecar and is checked
/// when the artifact is read to the end; claims are lock files (see <see cref="LocalLockFile"/>).
/// </summary>
public sealed class LocalFolderArtifactStore : IArtifactStore
{
    private const string StagingPrefix = ".staging-";

    private readonly LocalArtifactLayout _layout;
    private readonly TimeProvider _clock;

    /// <summary>Creates the store over <paramref name="rootFolder"/>, creating the folder if needed.</summary>
    public LocalFolderArtifactStore(string rootFolder, TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootFolder);
        _layout = new LocalArtifactLayout(rootFolder);
        _clock = clock ?? TimeProvider.System;
        Directory.CreateDirectory(_layout.Root);
    }

    /// <summary>The absolute root folder.</summary>
    public string RootFolder => _layout.Root;

    /// <inheritdoc />
    public async IAsyncEnumerable<ArtifactInfo> ListAsync(
        string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArtifactName.ValidatePrefix(prefix);
        int lastSlash = prefix.LastIndexOf('/');
        string folder = lastSlash < 0 ? _layout.Root : _layout.PathOf(prefix[..lastSlash]);
        if (!Directory.Exists(folder)) yield break;

        var names = new List<string>();
        CollectArtifactNames(folder, prefix, names);
        names.Sort(StringComparer.Ordinal);
        foreach (string name in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string path = _layout.PathOf(name);
            var file = new FileInfo(path);
            if (!file.Exists) continue; // deleted since the walk
            yield return new ArtifactInfo(name, file.Length, file.LastWriteTimeUtc, LocalArtifactLayout.ReadSidecar(path));
        }
        await Task.CompletedTask.ConfigureAwait(false); // the walk is synchronous file I/O; the contract is async for Blob
    }

    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken = default)
    {
        string path = _layout.PathOf(name);
        // Sidecar before data: a writer replaces data before sidecar, so a mismatch whose sidecar changed
        // meanwhile is a concurrent replacement, and one whose sidecar did not change is corruption.
        byte[]? sidecar = LocalArtifactLayout.ReadSidecar(path);
        FileStream data;
        try
        {
            data = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 20, useAsync: true);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"Artifact '{name}' does not exist in {_layout.Root}.", name, ex);
        }
        // The hash on the opened file itself belongs to exactly this content, however the name is replaced meanwhile.
        if (FileMd5Attribute.TryRead(data.SafeFileHandle) is { } md5) return Task.FromResult<Stream>(new Md5VerifyingReadStream(data, md5, name));
        if (sidecar is null) return Task.FromResult<Stream>(data);
        return Task.FromResult<Stream>(new Md5VerifyingReadStream(data, sidecar, name, message =>
            LocalArtifactLayout.ReadSidecar(path) is { } now && now.AsSpan().SequenceEqual(sidecar)
                ? new InvalidDataException(message)
                : new IOException($"Artifact '{name}' was replaced while it was being read; read it again.")));
    }

    /// <inheritdoc />
    public Task<ArtifactWriteStream> OpenWriteAsync(string name, CancellationToken cancellationToken = default) =>
        Task.FromResult<ArtifactWriteStream>(new LocalArtifactWriteStream(name, _layout.PathOf(name)));

    /// <summary>
    /// A new, empty folder in the store's hidden area (same file system, never listed) in which to build files that
    /// <see cref="MoveIntoPlace"/> then publishes all at once. The caller deletes it if it does not move it.
    /// </summary>
    public string CreateStagingFolder() =>
        Directory.CreateDirectory(Path.Combine(_layout.Root, $"{StagingPrefix}{Guid.NewGuid():N}")).FullName;

    /// <summary>
    /// Makes the files of <paramref name="stagingFolder"/> (from <see cref="CreateStagingFolder"/>) the artifacts under
    /// <paramref name="prefix"/>, which ends with '/', replacing whatever was there: one rename publishes them together.
    /// They get no MD5 sidecars, so the store does not verify their reads: for files that carry their own check, such as
    /// shards, whose sha256s are in their index.
    /// </summary>
    public void MoveIntoPlace(string stagingFolder, string prefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stagingFolder);
        string staging = Path.GetFullPath(stagingFolder);
        if (Path.GetDirectoryName(staging) != _layout.Root || !Path.GetFileName(staging).StartsWith(StagingPrefix, StringComparison.Ordinal))
            throw new ArgumentException($"'{stagingFolder}' is not a staging folder of this store.", nameof(stagingFolder));
        if (!ArtifactName.ValidatePrefix(prefix).EndsWith('/')) throw new ArgumentException($"Prefix '{prefix}' must end with '/'.", nameof(prefix));
        string target = _layout.PathOf(prefix[..^1]);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        // Directory.Move does not replace; the old folder steps aside into the hidden area first and goes after.
        string? replaced = null;
        if (Directory.Exists(target))
        {
            replaced = Path.Combine(_layout.Root, $".replaced-{Guid.NewGuid():N}");
            Directory.Move(target, replaced);
        }
        Directory.Move(staging, target);
        if (replaced is not null) Directory.Delete(replaced, recursive: true);
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        string path = _layout.PathOf(name);
        // Sidecar first: a crash in between leaves unverified data, never data with a missing hash claim.
        File.Delete(LocalArtifactLayout.SidecarPathOf(path));
        bool existed = File.Exists(path);
        File.Delete(path);
        return Task.FromResult(existed);
    }

    /// <inheritdoc />
    public Task<bool> ExistsAsync(string name, CancellationToken cancellationToken = default) =>
        Task.FromResult(File.Exists(_layout.PathOf(name)));

    /// <inheritdoc />
    public async Task<IArtifactClaim?> TryClaimAsync(string name, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
        string lockPath = _layout.ClaimPathOf(name);
        Guid token = Guid.NewGuid();
        DateTimeOffset now = _clock.GetUtcNow();
        bool won = await LocalLockFile.TryAcquireAsync(lockPath, token, now, now + leaseDuration, cancellationToken).ConfigureAwait(false);
        return won ? new LocalLockFileClaim(name, lockPath, token, leaseDuration, now, _clock) : null;
    }

    private void CollectArtifactNames(string folder, string prefix, List<string> names)
    {
        foreach (string entry in Directory.EnumerateFileSystemEntries(folder))
        {
            if (LocalArtifactLayout.IsInternal(Path.GetFileName(entry))) continue;
            string name = _layout.NameOf(entry);
            if (Directory.Exists(entry))
            {
                // Descend only where names can still match the prefix.
                string asFolder = name + "/";
                if (asFolder.StartsWith(prefix, StringComparison.Ordinal) || prefix.StartsWith(asFolder, StringComparison.Ordinal))
                    CollectArtifactNames(entry, prefix, names);
            }
            else if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                names.Add(name);
            }
        }
    }
}
