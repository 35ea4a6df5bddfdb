namespace Scrl.Core.Data.Shards;

/// <summary>
/// A sink that drops every byte. <see cref="ShardWriter"/> still hashes what it writes, so writing to this sink computes
/// a dataset's <see cref="ShardIndex"/> (and its dataset hash) without storing anything: a store keyed by that hash can
/// then tell whether it already holds the set before uploading a single shard.
/// </summary>
public sealed class DiscardingShardSink : IShardSink
{
    public Task WriteAsync(string name, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        return write(Stream.Null, cancellationToken);
    }
}
