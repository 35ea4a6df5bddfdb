namespace Scrl.Core.Data.Shards;

/// <summary>
/// Where a <see cref="ShardStream"/> reader is: sample <see cref="SampleOffset"/> (in shuffled output order) of the
/// <see cref="ShardCursor"/>-th shard this rank reads in <see cref="Epoch"/>. Saved in checkpoints; with the seed it
/// determines every later sample exactly.
/// </summary>
public readonly record struct ShardPosition(int Epoch, int ShardCursor, int SampleOffset)
{
    public static ShardPosition Start => new(0, 0, 0);

    public override string ToString() => $"epoch {Epoch} shard {ShardCursor} sample {SampleOffset}";
}
