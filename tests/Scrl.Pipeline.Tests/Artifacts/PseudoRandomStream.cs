using System.Runtime.InteropServices;

namespace Scrl.Pipeline.Tests.Artifacts;

/// <summary>
/// A read-only stream of <c>length</c> deterministic pseudo-random bytes generated on the fly (xorshift64),
/// so gigabyte-sized checkpoints can be streamed without being held in memory. Optionally throws an
/// <see cref="IOException"/> once <c>failAfter</c> bytes were read, like a source that dies mid-upload.
/// </summary>
internal sealed class PseudoRandomStream(long length, ulong seed = 0x9E3779B97F4A7C15, long failAfter = long.MaxValue) : Stream
{
    private ulong _state = seed == 0 ? 1 : seed;
    private long _position;
    private ulong _word;
    private int _leftover;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_position >= failAfter && buffer.Length > 0) throw new IOException($"Source failed on purpose after {failAfter} bytes.");
        int count = (int)Math.Min(buffer.Length, Math.Min(length, failAfter) - _position);
        int i = 0;
        while (i < count && _leftover > 0) buffer[i++] = NextLeftoverByte();
        int wholeWords = (count - i) / 8;
        Span<ulong> words = MemoryMarshal.Cast<byte, ulong>(buffer.Slice(i, wholeWords * 8));
        for (int w = 0; w < words.Length; w++) words[w] = Next();
        i += wholeWords * 8;
        if (i < count)
        {
            // Keep the rest of the word for the next read, so the bytes do not depend on read sizes.
            _word = Next();
            _leftover = 8;
            while (i < count) buffer[i++] = NextLeftoverByte();
        }
        _position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private byte NextLeftoverByte() => (byte)(_word >> (8 * (8 - _leftover--)));

    private ulong Next()
    {
        _state ^= _state << 13;
        _state ^= _state >> 7;
        _state ^= _state << 17;
        return _state;
    }
}
