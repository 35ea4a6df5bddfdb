using System.Security.Cryptography;

namespace Scrl.Pipeline.Artifacts;

/// <summary>
/// Writes to a hidden temp file next to the target and renames it into place on commit, so the target
/// name only ever shows complete content. Records the MD5 for read-time verification on the file itself (an
/// extended attribute, so it moves with the rename) and in a sidecar (where attributes are not supported).
/// </summary>
/// <remarks>
/// Commit order: fsync data, set its hash attribute, write the new sidecar to a temp file, delete the old sidecar,
/// rename data, rename sidecar. A crash between any two steps leaves either the old or the new data with no sidecar
/// or its own sidecar, never data paired with a wrong hash; the attribute travels with its data. A temp file left by
/// a crash stays hidden.
/// </remarks>
internal sealed class LocalArtifactWriteStream : ArtifactWriteStream
{
    private const int BufferSize = 1 << 20;
    private readonly string _targetPath;
    private readonly string _tempPath;
    private readonly FileStream _file;
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private bool _committed;
    private bool _disposed;

    public LocalArtifactWriteStream(string name, string targetPath)
    {
        Name = name;
        _targetPath = targetPath;
        Directory.CreateDirectory(Path.GetDirectoryName(targetPath)!);
        _tempPath = LocalArtifactLayout.NewTempPathOf(targetPath);
        _file = new FileStream(_tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
    }

    public override string Name { get; }

    public override bool CanWrite => !_committed && !_disposed;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        EnsureWritable();
        _md5.AppendData(buffer);
        _file.Write(buffer);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        EnsureWritable();
        _md5.AppendData(buffer.Span);
        return _file.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush() => _file.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _file.FlushAsync(cancellationToken);

    public override async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        EnsureWritable();
        await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
        _file.Flush(flushToDisk: true);
        await _file.DisposeAsync().ConfigureAwait(false);

        string sidecarPath = LocalArtifactLayout.SidecarPathOf(_targetPath);
        string sidecarTemp = LocalArtifactLayout.NewTempPathOf(sidecarPath);
        byte[] md5 = _md5.GetHashAndReset();
        FileMd5Attribute.TryWrite(_tempPath, md5);
        await File.WriteAllTextAsync(sidecarTemp, Convert.ToHexStringLower(md5), cancellationToken).ConfigureAwait(false);

        File.Delete(sidecarPath);
        File.Move(_tempPath, _targetPath, overwrite: true);
        _committed = true;
        File.Move(sidecarTemp, sidecarPath, overwrite: true);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _file.Dispose();
            _md5.Dispose();
            if (!_committed) File.Delete(_tempPath);
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            await _file.DisposeAsync().ConfigureAwait(false);
            _md5.Dispose();
            if (!_committed) File.Delete(_tempPath);
        }
        GC.SuppressFinalize(this);
    }

    private void EnsureWritable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed) throw new InvalidOperationException($"Artifact '{Name}' is already committed.");
    }
}
