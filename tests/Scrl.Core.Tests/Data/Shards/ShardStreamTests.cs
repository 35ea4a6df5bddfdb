using Scrl.Core.Data.Loading;
using Scrl.Core.Data.Shards;

namespace Scrl.Core.Tests.Data.Shards;

public sealed class ShardStreamTests(SyntheticShardFixture fixture) : IClassFixture<SyntheticShardFixture>, IAsyncLifetime
{
    private const long Seed = 21;
    private ShardFolder _folder = null!;
    private ShardIndex _index = null!;

    public async Task InitializeAsync() => (_folder, _index) = await ShardRoundTrip.WriteAsync(fixture.Dataset, fixture.NewFolder(), targetBytes: 24 * 1024);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ReadAsync_EachEpoch_EverySampleOnceInASeedDependentOrder()
    {
        var stream = new ShardStream(_index, _folder, new ShardStreamOptions { ShuffleBufferSize = 3 });
        var items = await ReadKeys(stream, Seed, ShardPosition.Start, endEpoch: 2);
        var again = await ReadKeys(new ShardStream(_index, _folder, new ShardStreamOptions { ShuffleBufferSize = 3, PrefetchSamples = 1 }),
                                   Seed, ShardPosition.Start, endEpoch: 2);

        var allKeys = Enumerable.Range(0, _index.SampleCount).Select(i => ShardFormat.Key(i, _index.SampleCount));
        var epochs = items.Chunk(_index.SampleCount).Select(e => e.Select(i => i.Key).ToList()).ToList();
        Assert.Equal(2, epochs.Count);
        Assert.All(epochs, e => Assert.Equal(allKeys, e.Order(StringComparer.Ordinal)));
        Assert.NotEqual(epochs[0], epochs[1]);
        Assert.NotEqual(allKeys, epochs[0]);                     // shuffled
        Assert.Equal(items, again);                              // prefetch depth does not change the order
    }

    [Fact]
    public async Task ReadAsync_FromSavedPosition_YieldsExactlyTheRemainingSamples()
    {
        var stream = new ShardStream(_index, _folder, new ShardStreamOptions { ShuffleBufferSize = 4 });
        var full = await ReadKeys(stream, Seed, ShardPosition.Start, endEpoch: 2);

        foreach (int stop in new[] { 1, _index.Shards[0].SampleCount, full.Count / 2 + 1, full.Count - 1 })
        {
            var resumed = await ReadKeys(stream, Seed, full[stop - 1].Next, endEpoch: 2);
            Assert.Equal(full.Skip(stop), resumed);
        }
    }

    [Fact]
    public async Task ShardsOf_Ranks_CoverEachShardExactlyOncePerEpoch()
    {
        const int worldSize = 3;
        for (int epoch = 0; epoch < 4; epoch++)
        {
            var perRank = Enumerable.Range(0, worldSize).Select(r => ShardEpochPlan.ShardsOf(Seed, epoch, _index.Shards.Count, r, worldSize)).ToList();
            Assert.Equal(Enumerable.Range(0, _index.Shards.Count), perRank.SelectMany(s => s).Order());
        }

        var keys = new List<string>();
        for (int rank = 0; rank < worldSize; rank++)
        {
            var stream = new ShardStream(_index, _folder, new ShardStreamOptions { Rank = rank, WorldSize = worldSize });
            keys.AddRange((await ReadKeys(stream, Seed, ShardPosition.Start, endEpoch: 1)).Select(i => i.Key));
        }
        Assert.Equal(Enumerable.Range(0, _index.SampleCount).Select(i => ShardFormat.Key(i, _index.SampleCount)), keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_ShardWithFewerSamplesThanIndexed_Throws()
    {
        var lying = _index with { Shards = [_index.Shards[0] with { SampleCount = _index.Shards[0].SampleCount + 1 }] };
        var stream = new ShardStream(lying, _folder, new ShardStreamOptions());

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ReadKeys(stream, Seed, ShardPosition.Start, endEpoch: 1));
        Assert.Contains("the index says", error.Message);
    }

    [Fact]
    public async Task PretrainDataLoader_OverShards_DecodesEverySampleOncePerEpoch()
    {
        var source = new ShardSampleSource(_index, _folder, new ShardStreamOptions { ShuffleBufferSize = 2 });
        var loader = PretrainDataLoader.Create(source, new PretrainDataLoaderOptions { BatchSize = 4, DropLast = false, Seed = Seed });
        var seen = new List<long>();
        await foreach (var batch in loader.ReadAsync(LoaderPosition.Start, endEpoch: 1))
        {
            using (batch)
            {
                for (int k = 0; k < batch.Images.Count; k++)
                {
                    var record = fixture.Dataset.Records[(int)batch.SampleIndices[k]];
                    Assert.Equal(new long[] { 3, record.Height, record.Width }, batch.Images[k].shape);
                }
                seen.AddRange(batch.SampleIndices);
            }
        }
        Assert.Equal(Enumerable.Range(0, _index.SampleCount).Select(i => (long)i), seen.Order());

        var resumed = new List<long>();
        await foreach (var batch in loader.ReadAsync(new LoaderPosition(0, 2), endEpoch: 1))
            using (batch) resumed.AddRange(batch.SampleIndices);
        Assert.Equal(seen.Skip(8), resumed);
    }

    private static async Task<List<(string Key, ShardPosition Next)>> ReadKeys(ShardStream stream, long seed, ShardPosition start, int endEpoch)
    {
        var items = new List<(string, ShardPosition)>();
        await foreach (var item in stream.ReadAsync(seed, start, endEpoch)) items.Add((item.Sample.Key, item.Next));
        return items;
    }
}
