using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using Azure.Storage;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Scrl.Pipeline.Artifacts;

/// <summary>
/// Stages a block each time the buffer fills, with at most <c>maxConcurrency</c> blocks in flight, and
/// commits the block list only in <see cref="CommitAsync"/>. Staged but uncommitted blocks are never
/// visible and the service discards them after a week, so an abandoned write leaves nothing behind.
/// </summary>
/// <remarks>
/// Memory is bounded by (maxConcurrency + 1) block buffers. Block ids carry a per-stream random prefix so
/// two writers racing on one name never mix each other's blocks; the last commit wins whole.
/// </remarks>
internal sealed class BlockBlobArtifactWriteStream : ArtifactWriteStream
{
    private readonly BlockBlobClient _blob;
    private readonly int _blockSize;
    private readonly UploadTransferValidationOptions _validation;
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _abort = new();
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private readonly byte[] _streamId = Guid.NewGuid().ToByteArray();
    private readonly List<string> _blockIds = [];
    private readonly List<Task> _inFlight = [];
    private byte[]? _buffer;
    private int _filled;
    private bool _committed;
    private bool _disposed;

    public BlockBlobArtifactWriteStream(string name, BlockBlobClient blob, int blockSize, int maxConcurrency, StorageChecksumAlgorithm checksum)
    {
        Name = name;
        _blob = blob;
        _blockSize = blockSize;
        _slots = new SemaphoreSlim(maxConcurrency, maxConcurrency);
        _validation = new UploadTransferValidationOptions { ChecksumAlgorithm = checksum };
    }

    public override string Name { get; }

    public override bool CanWrite => !_committed && !_disposed;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        EnsureWritable();
        _md5.AppendData(buffer);
        while (!buffer.IsEmpty)
        {
            buffer = buffer[Fill(buffer)..];
            if (_filled == _blockSize)
            {
                _slots.Wait(_abort.Token); // back-pressure: a synchronous writer waits for a free upload slot
                LaunchStage();
            }
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        EnsureWritable();
        _md5.AppendData(buffer.Span);
        while (!buffer.IsEmpty)
        {
            buffer = buffer[Fill(buffer.Span)..];
            if (_filled == _blockSize)
            {
                await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                LaunchStage();
            }
        }
    }

    /// <summary>Nothing to flush: content is only durable as a whole, at commit.</summary>
    public override void Flush() { }

    public override async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        EnsureWritable();
        if (_filled > 0)
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            LaunchStage();
        }
        await Task.WhenAll(_inFlight).WaitAsync(cancellationToken).ConfigureAwait(false);
        var options = new CommitBlockListOptions { HttpHeaders = new BlobHttpHeaders { ContentHash = _md5.GetHashAndReset() } };
        await _blob.CommitBlockListAsync(_blockIds, options, cancellationToken).ConfigureAwait(false);
        _committed = true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _abort.Cancel(); // in-flight stages stop and return their buffers; their blocks stay uncommitted
            ReturnBuffer();
            _md5.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            await _abort.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(_inFlight).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            ReturnBuffer();
            _md5.Dispose();
            _abort.Dispose();
            _slots.Dispose();
        }
        GC.SuppressFinalize(this);
    }

    private int Fill(ReadOnlySpan<byte> source)
    {
        _buffer ??= ArrayPool<byte>.Shared.Rent(_blockSize);
        int count = Math.Min(source.Length, _blockSize - _filled);
        source[..count].CopyTo(_buffer.AsSpan(_filled));
        _filled += count;
        return count;
    }

    /// <summary>Hands the full buffer to a background stage; the caller already holds an upload slot.</summary>
    private void LaunchStage()
    {
        ThrowIfAnyStageFailed();
        string blockId = NewBlockId(_blockIds.Count);
        _blockIds.Add(blockId);
        _inFlight.Add(StageAsync(blockId, _buffer!, _filled));
        _buffer = null;
        _filled = 0;
    }

    private async Task StageAsync(string blockId, byte[] buffer, int length)
    {
        try
        {
            using var content = new MemoryStream(buffer, 0, length, writable: false);
            var options = new BlockBlobStageBlockOptions { TransferValidation = _validation };
            await _blob.StageBlockAsync(blockId, content, options, _abort.Token).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _slots.Release();
        }
    }

    private void ThrowIfAnyStageFailed()
    {
        _inFlight.RemoveAll(task => task.IsCompletedSuccessfully);
        Task? failed = _inFlight.Find(task => task.IsFaulted || task.IsCanceled);
        if (failed?.Exception is { } error) ExceptionDispatchInfo.Throw(error.InnerException ?? error);
        if (failed is not null) throw new OperationCanceledException($"Staging a block of '{Name}' was cancelled.");
    }

    /// <summary>Base64 of (stream id, block index): unique per writer, equal length for every block as the service requires.</summary>
    private string NewBlockId(int index)
    {
        Span<byte> raw = stackalloc byte[20];
        _streamId.CopyTo(raw);
        BitConverter.TryWriteBytes(raw[16..], index);
        return Convert.ToBase64String(raw);
    }

    private void ReturnBuffer()
    {
        if (_buffer is null) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
    }

    private void EnsureWritable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed) throw new InvalidOperationException($"Artifact '{Name}' is already committed.");
    }
}
