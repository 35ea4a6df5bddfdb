namespace Scrl.Core.Data.Shards;

/// <summary>
/// Where <see cref="ShardWriter"/> puts shard files and the index. A file must become visible under its name only
/// once <c>write</c> has completed: a local folder writes a temp file and renames it, a blob store commits the blob.
/// </summary>
public interface IShardSink
{
    /// <summary>Creates <paramref name="name"/> with the bytes <paramref name="write"/> streams into it, atomically.</summary>
    Task WriteAsync(string name, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default);
}
