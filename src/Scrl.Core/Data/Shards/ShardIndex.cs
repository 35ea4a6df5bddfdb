using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Scrl.Core.Data.Datasets;

namespace Scrl.Core.Data.Shards;

/// <summary>
/// <c>index.json</c> of a shard set: format version, per-shard counts, sizes and sha256, and a dataset hash over the
/// shard hashes, so the same content always gets the same hash (the artifact store keys shard sets by it).
/// Holds nothing machine-specific (no paths, no times).
/// </summary>
public sealed record ShardIndex(
    int FormatVersion,
    string DatasetHash,
    int SampleCount,
    long TotalBytes,
    long TargetShardBytes,
    IReadOnlyList<DatasetCategory> Categories,
    IReadOnlyList<ShardInfo> Shards)
{
    /// <summary>sha256 (hex) over the lines <c>"{name} {sha256}\n"</c> of the shards in order.</summary>
    public static string HashOf(IEnumerable<ShardInfo> shards)
    {
        var text = new StringBuilder();
        foreach (var shard in shards) text.Append(shard.Name).Append(' ').Append(shard.Sha256).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Reads and checks an index: supported version, counts and hash consistent with the shard list.</summary>
    /// <exception cref="InvalidDataException">Unreadable, another format version, or inconsistent.</exception>
    public static async Task<ShardIndex> ReadAsync(IShardSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ShardIndex? index;
        await using (var stream = await source.OpenReadAsync(ShardFormat.IndexName, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                index = await JsonSerializer.DeserializeAsync(stream, ShardJsonContext.Default.ShardIndex, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{source.Describe(ShardFormat.IndexName)} is not a shard index: {e.Message}", e);
            }
        }
        if (index is null) throw new InvalidDataException($"{source.Describe(ShardFormat.IndexName)} is empty.");
        if (index.FormatVersion != ShardFormat.Version)
            throw new InvalidDataException($"{source.Describe(ShardFormat.IndexName)} has shard format {index.FormatVersion}; this build reads {ShardFormat.Version}.");
        if (index.Shards.Sum(s => s.SampleCount) != index.SampleCount || HashOf(index.Shards) != index.DatasetHash)
            throw new InvalidDataException($"{source.Describe(ShardFormat.IndexName)} is inconsistent: sample counts or dataset hash do not match its shard list.");
        return index;
    }
}

/// <summary>One shard of a set: its file name, first sample key, sample count, size and sha256 (hex).</summary>
public sealed record ShardInfo(string Name, string FirstKey, int SampleCount, long Bytes, string Sha256);
