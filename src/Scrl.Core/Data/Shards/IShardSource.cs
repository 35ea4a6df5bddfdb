namespace Scrl.Core.Data.Shards;

/// <summary>Where shard readers open shard files and the index.</summary>
public interface IShardSource
{
    /// <summary>Opens <paramref name="name"/> for sequential reading; the caller disposes the stream.</summary>
    Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>A human-readable location of <paramref name="name"/>, for error messages.</summary>
    string Describe(string name);
}
