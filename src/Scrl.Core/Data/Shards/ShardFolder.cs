using Scrl.Core.IO;

namespace Scrl.Core.Data.Shards;

/// <summary>A shard set in a local folder: writes each file atomically (temp + rename), reads files sequentially.</summary>
public sealed class ShardFolder : IShardSink, IShardSource
{
    /// <summary>Uses <paramref name="path"/>, creating it when needed.</summary>
    /// <param name="syncToDisk">Whether each shard is on the device before it takes its name (<see cref="AtomicFile.WriteAsync"/>).</param>
    public ShardFolder(string path, bool syncToDisk = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        SyncToDisk = syncToDisk;
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Whether each shard is on the device before it takes its name.</summary>
    public bool SyncToDisk { get; }

    /// <summary>The full path of file <paramref name="name"/>.</summary>
    public string PathOf(string name) => System.IO.Path.Combine(Path, CheckName(name));

    public Task WriteAsync(string name, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default) =>
        AtomicFile.WriteAsync(PathOf(name), write, cancellationToken, SyncToDisk);

    public Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string path = PathOf(name);
        if (!File.Exists(path)) throw new FileNotFoundException($"Shard file '{path}' does not exist.", path);
        Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16,
                                       FileOptions.SequentialScan | FileOptions.Asynchronous);
        return Task.FromResult(stream);
    }

    public string Describe(string name) => $"'{PathOf(name)}'";

    // Names come from the index; refuse anything that could leave the folder.
    private static string CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name != System.IO.Path.GetFileName(name) || name is "." or "..")
            throw new ArgumentException($"'{name}' is not a plain file name.", nameof(name));
        return name;
    }
}
