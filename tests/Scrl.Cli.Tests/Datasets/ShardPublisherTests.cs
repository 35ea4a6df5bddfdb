using Scrl.Cli.Datasets;
using Scrl.Cli.Tests.Support;
using Scrl.Core.Data.Datasets;
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
    public async Task Publish_LocalStore_OnePassThenAgainReusesIt_NoStagingLeft()
    {
        var dataset = coco.ReadTrain();
        var store = new LocalFolderArtifactStore(coco.NewFolder());
        var phases = new List<ShardPublishPhase>();
        var progress = new Scrl.Cli.Commands.SyncProgress<ShardPublishProgress>(p => phases.Add(p.Phase));

        var first = await ShardPublisher.PublishAsync(dataset, store, store.RootFolder, "", Options, progress);
        var second = await ShardPublisher.PublishAsync(dataset, store, store.RootFolder, "", Options);

        Assert.Equal([ShardPublishPhase.Writing], phases.Distinct());
        Assert.Equal(dataset.Records.Count, phases.Count(p => p == ShardPublishPhase.Writing) - first.Index.Shards.Count);   // one report per sample and per shard
        Assert.False(first.Reused);
        Assert.True(second.Reused);
        Assert.Equal(first.Index, second.Index with { Categories = first.Index.Categories, Shards = first.Index.Shards });
        Assert.Equal(["datasets"], Directory.GetDirectories(store.RootFolder).Select(Path.GetFileName));   // no staging folder left
    }

    [Fact]
    public async Task Publish_HashFirstStore_SameShardsAsTheOnePassLocalStore()
    {
        var dataset = coco.ReadTrain();
        var local = new LocalFolderArtifactStore(coco.NewFolder());
        var hashFirst = new NoRenameStore(new LocalFolderArtifactStore(coco.NewFolder()));

        var onePass = await ShardPublisher.PublishAsync(dataset, local, local.RootFolder, "", Options);
        var twoPass = await ShardPublisher.PublishAsync(dataset, hashFirst, "hash-first", "", Options);

        Assert.Equal(onePass.Prefix, twoPass.Prefix);
        Assert.Equal(onePass.Index.Shards, twoPass.Index.Shards);
        foreach (var shard in onePass.Index.Shards)
        {
            using var a = new MemoryStream();
            using var b = new MemoryStream();
            await (await onePass.Folder.OpenReadAsync(shard.Name)).CopyToAsync(a);
            await (await twoPass.Folder.OpenReadAsync(shard.Name)).CopyToAsync(b);
            Assert.True(a.ToArray().AsSpan().SequenceEqual(b.ToArray()), $"{shard.Name} differs");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ValidateAndPublish_CleanDataset_SameSetAsValidatingFirst(bool local)
    {
        var dataset = coco.ReadTrain();
        var expected = await ShardWriter.WriteAsync(DatasetValidator.EnsureValid(dataset, new DatasetValidationOptions()), new DiscardingShardSink(), Options);
        var folder = new LocalFolderArtifactStore(coco.NewFolder());
        IArtifactStore store = local ? folder : new NoRenameStore(folder);

        var published = await ShardPublisher.ValidateAndPublishAsync(dataset, new DatasetValidationOptions(), store, "store", "", Options);

        Assert.Equal(expected.Shards, published.Index.Shards);
        Assert.Equal(expected.DatasetHash, published.Index.DatasetHash);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ValidateAndPublish_TwoBadImages_ListsBothAndPublishesNothing(bool local)
    {
        string root = coco.CopyRoot();
        var dataset = coco.ReadTrain(root);
        var truncated = File.ReadAllBytes(dataset.Records[2].ImagePath);
        File.WriteAllBytes(dataset.Records[2].ImagePath, truncated[..(truncated.Length / 2)]);
        File.Delete(dataset.Records[7].ImagePath);
        var folder = new LocalFolderArtifactStore(coco.NewFolder());
        IArtifactStore store = local ? folder : new NoRenameStore(folder);

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => ShardPublisher.ValidateAndPublishAsync(
            dataset, new DatasetValidationOptions(), store, "store", "", Options));

        Assert.Contains($"CorruptImage: image {dataset.Records[2].ImageId}", e.Message);
        Assert.Contains($"MissingImage: image {dataset.Records[7].ImageId}", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(folder.RootFolder));   // nothing published, no staging left
    }

    [Fact]
    public async Task ValidateAndPublish_SkipBad_WritesWhatTheValidatorKeeps()
    {
        string root = coco.CopyRoot();
        var dataset = coco.ReadTrain(root);
        File.WriteAllBytes(dataset.Records[4].ImagePath, [0xFF, 0xD8, 0xFF, 0x00]);
        var validation = new DatasetValidationOptions { SkipBad = true, ReportPath = Path.Combine(coco.NewFolder(), "problems.json") };
        var kept = DatasetValidator.EnsureValid(dataset, validation);
        var expected = await ShardWriter.WriteAsync(kept, new DiscardingShardSink(), Options);
        var store = new LocalFolderArtifactStore(coco.NewFolder());

        var published = await ShardPublisher.ValidateAndPublishAsync(dataset, validation, store, store.RootFolder, "", Options);

        Assert.Equal(dataset.Records.Count - 1, published.Index.SampleCount);
        Assert.Equal(expected.Shards, published.Index.Shards);
        Assert.True(File.Exists(validation.ReportPath));
    }

    [Fact]
    public async Task Publish_ImageChangesBetweenHashAndWrite_ThrowsAndPublishesNoIndex()
    {
        string root = coco.CopyRoot();
        var dataset = coco.ReadTrain(root);
        var folder = new LocalFolderArtifactStore(coco.NewFolder());
        var store = new NoRenameStore(folder);   // hash first, then write: the path where the source can change in between
        bool replaced = false;
        var progress = new Scrl.Cli.Commands.SyncProgress<ShardPublishProgress>(p =>
        {
            // Once hashing has finished and writing has begun, replace the last image with other bytes.
            if (p.Phase != ShardPublishPhase.Writing || replaced) return;
            replaced = true;
            File.WriteAllBytes(dataset.Records[^1].ImagePath, File.ReadAllBytes(dataset.Records[0].ImagePath));
        });
        var hashBefore = (await ShardWriter.WriteAsync(dataset, new DiscardingShardSink(), Options)).DatasetHash;

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => ShardPublisher.PublishAsync(dataset, store, folder.RootFolder, "", Options, progress));

        Assert.True(replaced);
        Assert.Contains("changed while it was sharded", e.Message);
        Assert.False(await store.ExistsAsync(ShardPublisher.ShardsPrefix("", hashBefore) + ShardFormat.IndexName));
    }
}
