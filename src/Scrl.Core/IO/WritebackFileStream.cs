using Microsoft.Win32.SafeHandles;

namespace Scrl.Core.IO;

/// <summary>
/// A write-only file stream that starts writing its data to disk while it is still being written: every
/// <see cref="WritebackBytes"/> it fsyncs in the background (one at a time), so the fsync that makes the finished file
/// durable only waits for the tail instead of the whole file.
/// </summary>
internal sealed class WritebackFileStream(SafeFileHandle handle) : Stream
{
    public const long WritebackBytes = 4L << 20;

    private readonly FileStream _file = new(handle, FileAccess.Write, bufferSize: 1 << 16, isAsync: true);
    private long _written;
    private long _writtenAtSync;
    private Task _syncing = Task.CompletedTask;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _written;
    public override long Position { get => _written; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _file.Write(buffer);
        Advance(buffer.Length);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _file.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        Advance(buffer.Length);
    }

    public override void Flush() => _file.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => _file.FlushAsync(cancellationToken);

    /// <summary>Writes out the buffer and fsyncs: everything written so far is on disk when this returns.</summary>
    public async Task FlushToDiskAsync(CancellationToken cancellationToken)
    {
        await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
        await _syncing.ConfigureAwait(false);
        RandomAccess.FlushToDisk(handle);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        await _syncing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);   // only a failed write leaves one running
        await _file.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _syncing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing).GetAwaiter().GetResult();
            _file.Dispose();
        }
        base.Dispose(disposing);
    }

    private void Advance(int bytes)
    {
        _written += bytes;
        if (_written - _writtenAtSync < WritebackBytes || !_syncing.IsCompleted) return;
        _syncing.GetAwaiter().GetResult();   // a failed background fsync fails the write that follows it
        _writtenAtSync = _written;
        _syncing = Task.Run(() => RandomAccess.FlushToDisk(handle));
    }
}
