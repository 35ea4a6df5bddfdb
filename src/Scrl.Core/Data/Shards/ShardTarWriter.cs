using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Scrl.Core.Data.Shards;

/// <summary>
/// Streams one shard tar (<see cref="UstarHeader"/> members, then the end-of-archive blocks) into an output stream,
/// sha256-hashing it on the way. Bytes gather in one of two pooled chunks; a full chunk is hashed and written in the
/// background (each on its own pool thread) while the next one fills, so reading source files, hashing and writing
/// overlap, and the output sees one large sequential write per chunk.
/// </summary>
internal sealed class ShardTarWriter(Stream output, CancellationToken cancellationToken) : IAsyncDisposable
{
    // A multiple of the block size, so headers and padding never straddle two chunks.
    private const int ChunkBytes = 1 << 20;

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[] _chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
    private byte[] _spare = ArrayPool<byte>.Shared.Rent(ChunkBytes);
    private int _filled;
    private Task _flushing = Task.CompletedTask;   // writes _spare; at most one chunk is in flight

    /// <summary>Bytes of the archive so far, buffered or written.</summary>
    public long Length { get; private set; }

    private Span<byte> Free => _chunk.AsSpan(_filled, ChunkBytes - _filled);

    /// <summary>Adds member <paramref name="name"/> holding <paramref name="data"/>.</summary>
    public async ValueTask AddAsync(string name, ReadOnlyMemory<byte> data)
    {
        int length = data.Length;
        await AddHeaderAsync(name, length).ConfigureAwait(false);
        while (!data.IsEmpty)
        {
            int n = Math.Min(data.Length, ChunkBytes - _filled);
            data.Span[..n].CopyTo(Free);
            data = data[n..];
            await AdvanceAsync(n).ConfigureAwait(false);
        }
        await PadAsync(length).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds member <paramref name="name"/> holding the first <paramref name="length"/> bytes of <paramref name="file"/>,
    /// read straight into the chunk. <paramref name="path"/> names the file in errors.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is shorter than <paramref name="length"/> (it changed meanwhile).</exception>
    public async ValueTask AddFileAsync(string name, SafeFileHandle file, long length, string path)
    {
        await AddHeaderAsync(name, length).ConfigureAwait(false);
        for (long offset = 0; offset < length;)
        {
            int n = RandomAccess.Read(file, Free[..(int)Math.Min(length - offset, ChunkBytes - _filled)], offset);
            if (n == 0) throw new InvalidDataException($"'{path}' ended after {offset} of its {length} bytes; did it change while being sharded?");
            offset += n;
            await AdvanceAsync(n).ConfigureAwait(false);
        }
        await PadAsync(length).ConfigureAwait(false);
    }

    /// <summary>Ends the archive and writes out what is buffered; returns its size and sha256 (hex). Call once.</summary>
    public async ValueTask<(long Bytes, string Sha256)> FinishAsync()
    {
        for (int block = 0; block < ShardFormat.EndOfArchiveBytes / ShardFormat.BlockSize; block++)
        {
            Free[..ShardFormat.BlockSize].Clear();
            await AdvanceAsync(ShardFormat.BlockSize).ConfigureAwait(false);
        }
        await _flushing.ConfigureAwait(false);
        if (_filled > 0) await WriteChunkAsync(_chunk, _filled).ConfigureAwait(false);
        _filled = 0;
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return (Length, Convert.ToHexStringLower(_hash.GetHashAndReset()));
    }

    public async ValueTask DisposeAsync()
    {
        // Left running only when a write failed; that failure is already on its way out, and the chunks must not
        // go back to the pool while a write may still read them.
        await _flushing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        ArrayPool<byte>.Shared.Return(_chunk);
        ArrayPool<byte>.Shared.Return(_spare);
        _hash.Dispose();
    }

    private ValueTask AddHeaderAsync(string name, long size)
    {
        UstarHeader.Write(Free, name, size);
        return AdvanceAsync(ShardFormat.BlockSize);
    }

    // Zeros up to the next block boundary after a member of `size` bytes.
    private ValueTask PadAsync(long size)
    {
        int padding = (int)(-size & (ShardFormat.BlockSize - 1));
        Free[..padding].Clear();
        return AdvanceAsync(padding);
    }

    private ValueTask AdvanceAsync(int bytes)
    {
        _filled += bytes;
        Length += bytes;
        return _filled == ChunkBytes ? new ValueTask(RotateAsync()) : ValueTask.CompletedTask;
    }

    // Waits for the previous chunk's write, which frees its buffer, then writes the full chunk in the background.
    private async Task RotateAsync()
    {
        await _flushing.ConfigureAwait(false);
        (_chunk, _spare) = (_spare, _chunk);
        _filled = 0;
        byte[] full = _spare;
        _flushing = WriteChunkAsync(full, ChunkBytes);
    }

    // Hashing and writing only read the chunk, so they run side by side; chunks still reach both in order, since the
    // next chunk waits for this one.
    private Task WriteChunkAsync(byte[] chunk, int count) => Task.WhenAll(
        Task.Run(() => _hash.AppendData(chunk, 0, count), cancellationToken),
        Task.Run(async () => await output.WriteAsync(chunk.AsMemory(0, count), cancellationToken).ConfigureAwait(false), cancellationToken));
}
