using Scrl.Core.Configuration;

namespace Scrl.Core.Data.Shards;

/// <summary>How <see cref="ShardWriter"/> cuts a dataset into shards.</summary>
public sealed record ShardWriterOptions
{
    /// <summary>
    /// Largest shard file, in bytes. A shard closes before the sample that would pass it; a single sample larger than
    /// this gets a shard of its own.
    /// </summary>
    public long TargetShardBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// Check every image as it is copied (<see cref="Datasets.DatasetValidator.CheckImageBytes"/> on the bytes already in
    /// memory, so validating costs no second read). The first missing, unreadable or bad image stops the write with a
    /// <see cref="Datasets.DatasetProblemException"/>.
    /// </summary>
    public bool CheckImages { get; init; }

    /// <summary>
    /// Shards written at once. Each shard's sha256 is one serial chain, so this is what spreads hashing over cores; the
    /// shards are the same bytes whatever the value. One more than the cores: while a shard drains (its last writes,
    /// fsync and rename) its core would idle. On 2 cores, 3 writers wrote 730 MiB 3-7% faster than 2 in 6 of 6
    /// alternated `scrl bench data` runs.
    /// </summary>
    public int Parallelism { get; init; } = Math.Clamp(Environment.ProcessorCount + 1, 2, 5);

    /// <summary>
    /// Where shards go to a local folder: true puts each shard on the device before it takes its name, so a set with
    /// an index survives a power loss whole. False writes through the page cache, as <c>tar</c> and <c>cp</c> do, and
    /// the kernel writes the shards back later: on a disk slower than memory that is 2-3x faster, and a power loss soon
    /// after can leave a shard that no longer matches its index (<c>scrl dataset inspect</c> checks every shard's size
    /// and sha256; shard again and the same bytes come out). Blob uploads are committed by the service either way.
    /// </summary>
    public bool SyncToDisk { get; init; } = true;

    public IReadOnlyList<ValidationError> Validate(string path = "shards")
    {
        var errors = new List<ValidationError>();
        long smallest = 4L * ShardFormat.BlockSize + ShardFormat.EndOfArchiveBytes;   // two headers + data blocks + end
        if (TargetShardBytes < smallest) errors.Add(new($"{path}.targetShardBytes", $"must be >= {smallest}, was {TargetShardBytes}"));
        if (Parallelism < 1) errors.Add(new($"{path}.parallelism", $"must be >= 1, was {Parallelism}"));
        return errors;
    }
}

/// <summary>Progress of a shard write: samples and shards done so far, and bytes written.</summary>
public readonly record struct ShardWriteProgress(int SamplesWritten, int SampleCount, int ShardsWritten, long BytesWritten);
