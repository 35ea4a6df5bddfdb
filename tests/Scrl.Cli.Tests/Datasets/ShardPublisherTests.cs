using Scrl.Cli.Datasets;
using Scrl.Cli.Tests.Support;
using Scrl.Core.Data.Shards;
using Scrl.Pipeline.Artifacts;

namespace Scrl.Cli.Tests.Datasets;

public sealed class ShardPublisherTests(GeneratedCoco coco) : IClassFixture<GeneratedCoco>
{
    private static readonly ShardWriterOptions Options = new() { TargetShardBytes = 48 << 10 };

    [Fact]
    public async Task Publish_LocalStore_WritesUnderDatasetHashAndMatchesShardWriter()
    {
        var dataset = coco.ReadTrain();
        var expected = await ShardWriter.WriteAsync(dataset, new DiscardingShardSink(), Options);
        var store = new LocalFolderArtifactStore(coco.NewFolder());

        var published = await ShardPublisher.PublishAsync(dataset, store, store.RootFolder, "", Options);

        Assert.False(published.Reused);
        Assert.Equal(expected, published.Index with { Categories = expected.Categories, Shards = expected.Shards });
        Assert.Equal(expected.Shards, published.Index.Shards);
        string folder = Path.Combine(store.RootFolder, "datasets", expected.DatasetHash, "shards");
        Assert.Equal(expected, await ShardIndex.ReadAsync(new ShardFolder(folder)) with { Categories = expected.Categories, Shards = expected.Shards });
    }

    [Fact]
    public async Task Publish_ChangedSource_GetsANewHashBesideTheOldSet()
    {
        string root = coco.CopyRoot();
        var store = new LocalFolderArtifactStore(coco.NewFolder());
        var first = await ShardPublisher.PublishAsync(coco.ReadTrain(root), store, store.RootFolder, "", Options);
        var full = coco.ReadTrain(root);
        var changed = full with { Records = [.. full.Records.Skip(1)] };

        var second = await ShardPublisher.PublishAsync(changed, store, store.RootFolder, "", Options);

        Assert.False(second.Reused);
        Assert.NotEqual(first.Index.DatasetHash, second.Index.DatasetHash);
        Assert.True(await store.ExistsAsync(first.Prefix + ShardFormat.IndexName));
        Assert.True(await store.ExistsAsync(second.Prefix + ShardFormat.IndexName));
    }

    [Fact]
    public async Task Publish_ImageChangesBetweenHashAndWrite_ThrowsAndPublishesNoIndex()
    {
        string root = coco.CopyRoot();
        var dataset = coco.ReadTrain(root);
        var store = new LocalFolderArtifactStore(coco.NewFolder());
        bool replaced = false;
        var progress = new Scrl.Cli.Commands.SyncProgress<ShardPublishProgress>(p =>
        {
            // Once hashing has finished and writing has begun, replace the last image with other bytes.
            if (p.Phase != ShardPublishPhase.Writing || replaced) return;
            replaced = true;
            File.WriteAllBytes(dataset.Records[^1].ImagePath, File.ReadAllBytes(dataset.Records[0].ImagePath));
        });
        var hashBefore = (await ShardWriter.WriteAsync(dataset, new DiscardingShardSink(), Options)).DatasetHash;

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => ShardPublisher.PublishAsync(dataset, store, store.RootFolder, "", Options, progress));

        Assert.True(replaced);
        Assert.Contains("changed while it was sharded", e.Message);
        Assert.False(await store.ExistsAsync(ShardPublisher.ShardsPrefix("", hashBefore) + ShardFormat.IndexName));
    }
}
