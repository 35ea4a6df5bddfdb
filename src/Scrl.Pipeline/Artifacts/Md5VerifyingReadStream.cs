using System.Security.Cryptography;

namespace Scrl.Pipeline.Artifacts;

/// <summary>
/// Passes reads through while hashing them, and at end of content compares the MD5 with the expected one.
/// </summary>
/// <remarks>
/// The check can only happen at the end, so a consumer that stops early gets no verdict: checkpoint and
/// shard readers read to the end. <paramref name="onMismatch"/> builds the exception, so a store can tell
/// corruption from a concurrent replacement.
/// </remarks>
internal sealed class Md5VerifyingReadStream(
    Stream inner, byte[] expectedMd5, string name, Func<string, Exception>? onMismatch = null) : Stream
{
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private bool _verified;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read = inner.Read(buffer);
        Observe(buffer[..read], buffer.Length);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Observe(buffer.Span[..read], buffer.Length);
        return read;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            _md5.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        _md5.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private void Observe(ReadOnlySpan<byte> data, int requested)
    {
        if (data.Length > 0)
        {
            _md5.AppendData(data);
            return;
        }
        if (requested == 0 || _verified) return;
        _verified = true;
        Span<byte> actual = stackalloc byte[16];
        _md5.GetHashAndReset(actual);
        if (!actual.SequenceEqual(expectedMd5))
        {
            string message = $"Artifact '{name}' failed its integrity check: content MD5 {Convert.ToHexStringLower(actual)} " +
                $"does not match the stored {Convert.ToHexStringLower(expectedMd5)}.";
            throw onMismatch?.Invoke(message) ?? new InvalidDataException(message);
        }
    }
}
