namespace Scrl.Detection.Training;

/// <summary>
/// Shuffled batches in which every image has the same orientation (landscape or portrait), so padding stays small
/// (torchvision's GroupedBatchSampler with two groups). The order is a pure function of (seed, epoch), so a
/// resumed run sees the same batches.
/// </summary>
public sealed class AspectRatioGroupedBatches
{
    private readonly IReadOnlyList<bool> _isLandscape;

    /// <param name="isLandscape">Per image: width &gt;= height.</param>
    public AspectRatioGroupedBatches(IReadOnlyList<bool> isLandscape, int batchSize, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (isLandscape.Count == 0) throw new ArgumentException("no images to batch", nameof(isLandscape));
        _isLandscape = isLandscape;
        BatchSize = batchSize;
        Seed = seed;
    }

    public int BatchSize { get; }

    public long Seed { get; }

    /// <summary>Batches of one epoch, each of <see cref="BatchSize"/> image indices (the last of each group may repeat images to fill).</summary>
    public IReadOnlyList<int[]> Epoch(int epoch)
    {
        var random = new Random(unchecked((int)(Seed * 1_000_003 + epoch)));   // seeded System.Random is stable across runs
        var order = Enumerable.Range(0, _isLandscape.Count).ToArray();
        random.Shuffle(order);
        var batches = new List<int[]>();
        foreach (var group in order.GroupBy(i => _isLandscape[i]))
        {
            var members = group.ToArray();
            for (int start = 0; start < members.Length; start += BatchSize)
                batches.Add(Enumerable.Range(start, BatchSize).Select(k => members[k % members.Length]).ToArray());
        }
        var shuffled = batches.ToArray();
        random.Shuffle(shuffled);
        return shuffled;
    }
}
