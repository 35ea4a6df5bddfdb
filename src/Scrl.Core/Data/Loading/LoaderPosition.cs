namespace Scrl.Core.Data.Loading;

/// <summary>
/// Where a data loader is in its stream of batches: batch <see cref="BatchIndex"/> of epoch <see cref="Epoch"/>.
/// Saved in checkpoints; together with the seed it fully determines every later batch.
/// </summary>
public readonly record struct LoaderPosition(int Epoch, int BatchIndex)
{
    public static LoaderPosition Start => new(0, 0);

    /// <summary>The position after this one, rolling over to the next epoch after its last batch.</summary>
    public LoaderPosition Next(int batchesPerEpoch) =>
        BatchIndex + 1 < batchesPerEpoch ? this with { BatchIndex = BatchIndex + 1 } : new LoaderPosition(Epoch + 1, 0);

    public override string ToString() => $"epoch {Epoch} batch {BatchIndex}";
}
