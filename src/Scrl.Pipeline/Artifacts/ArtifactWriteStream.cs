namespace Scrl.Pipeline.Artifacts;

/// <summary>
/// A write-only stream whose content becomes visible under its name only when <see cref="CommitAsync"/>
/// succeeds. Disposing without committing discards everything written.
/// </summary>
/// <remarks>
/// Commit is explicit rather than "on successful dispose" because a dispose cannot tell whether it runs
/// during exception unwinding: <c>await using</c> around a failing copy would otherwise publish a
/// truncated checkpoint.
/// </remarks>
public abstract class ArtifactWriteStream : Stream
{
    /// <summary>The name the content is committed under.</summary>
    public abstract string Name { get; }

    /// <summary>Makes the content visible under <see cref="Name"/>, replacing any previous content atomically.</summary>
    /// <exception cref="InvalidOperationException">Already committed.</exception>
    public abstract Task CommitAsync(CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public sealed override bool CanRead => false;

    /// <inheritdoc />
    public sealed override bool CanSeek => false;

    /// <inheritdoc />
    public sealed override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public sealed override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public sealed override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public sealed override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public sealed override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public sealed override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public abstract override void Write(ReadOnlySpan<byte> buffer);

    /// <inheritdoc />
    public abstract override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default);
}
