using Scrl.Core.Data.Loading;

namespace Scrl.Core.Data.Shards;

/// <summary>Which shards a rank reads in an epoch, and in what order: a (seed, epoch) permutation, split round-robin.</summary>
public static class ShardEpochPlan
{
    private const ulong ShardOrderStream = 0x5348_4152_444F_5244; // "SHARDORD": apart from the sample-order draws

    /// <summary>
    /// Shard indices (into the index's shard list) that <paramref name="rank"/> of <paramref name="worldSize"/> reads in
    /// <paramref name="epoch"/>: positions i of the epoch's shard permutation with i % worldSize == rank. Over all ranks
    /// every shard is read exactly once per epoch. Ranks get ceil or floor of shards/worldSize shards.
    /// </summary>
    public static int[] ShardsOf(long seed, int epoch, int shardCount, int rank, int worldSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        if (rank < 0 || rank >= worldSize) throw new ArgumentOutOfRangeException(nameof(rank), rank, $"must be in [0, {worldSize})");
        int[] order = EpochPermutation.Create(seed, epoch, shardCount, ShardOrderStream);
        return [.. order.Where((_, i) => i % worldSize == rank)];
    }
}
