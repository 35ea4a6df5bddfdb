using Scrl.Cli.Datasets;
using Scrl.Cli.Tests.Support;
using Scrl.Core.Data.Shards;
using Scrl.Pipeline.Artifacts;
using Scrl.Pipeline.Tests.Azurite;

namespace Scrl.Cli.Tests.Datasets;

/// <summary>Shards published to Blob (Azurite) are the local shards, byte for byte, and read back through the same reader.</summary>
[Collection(AzuriteCollection.Name)]
[Trait("Category", "Azurite")]
public sealed class BlobShardsTests(AzuriteFixture azurite, GeneratedCoco coco) : IClassFixture<GeneratedCoco>
{
    private const long ShardBytes = 48 << 10;

    [Fact]
    public async Task Publish_ToBlob_ByteIdenticalToLocalShardsAndReadsBack()
    {
        var dataset = coco.ReadTrain();
        var local = new ShardFolder(coco.NewFolder());
        var localIndex = await ShardWriter.WriteAsync(dataset, local, new ShardWriterOptions { TargetShardBytes = ShardBytes });
        var store = await NewStoreAsync();

        var published = await ShardPublisher.PublishAsync(dataset, store, "azurite", "root/", new ShardWriterOptions { TargetShardBytes = ShardBytes });

        Assert.False(published.Reused);
        Assert.Equal($"root/datasets/{localIndex.DatasetHash}/shards/", published.Prefix);
        var blobNames = new List<string>();
        await foreach (var item in store.ListAsync(published.Prefix)) blobNames.Add(item.Name[published.Prefix.Length..]);
        var localNames = Directory.GetFiles(local.Path).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(localNames, blobNames);
        Assert.True(localIndex.Shards.Count > 1, $"want several shards, got {localIndex.Shards.Count}");
        foreach (string name in blobNames)
        {
            await using var blob = await published.Folder.OpenReadAsync(name);
            using var copy = new MemoryStream();
            await blob.CopyToAsync(copy);
            Assert.True(copy.ToArray().AsSpan().SequenceEqual(File.ReadAllBytes(local.PathOf(name))), $"{name} differs between Blob and local");
        }

        var index = await ShardIndex.ReadAsync(published.Folder);
        var contents = await ShardSetReader.ReadAsync(index, published.Folder, decodeImages: true);
        Assert.Empty(contents.ImageProblems);
        Assert.Equal(dataset.Records.Select(r => r.ImageId), contents.Dataset.Records.Select(r => r.ImageId));
        var stream = new ShardStream(index, published.Folder, new ShardStreamOptions { ShuffleBufferSize = 4 });
        int samples = 0;
        await foreach (var _ in stream.ReadAsync(seed: 1, new ShardPosition(0, 0, 0), endEpoch: 1)) samples++;
        Assert.Equal(dataset.Records.Count, samples);
    }

    [Fact]
    public async Task Publish_SameSourceTwice_ReusesTheStoredSetWithoutWriting()
    {
        var dataset = coco.ReadTrain();
        var store = await NewStoreAsync();
        var options = new ShardWriterOptions { TargetShardBytes = ShardBytes };
        var first = await ShardPublisher.PublishAsync(dataset, store, "azurite", "", options);
        var before = await ListAsync(store, first.Prefix);

        var second = await ShardPublisher.PublishAsync(dataset, store, "azurite", "", options);

        Assert.True(second.Reused);
        Assert.Equal(first.Index.DatasetHash, second.Index.DatasetHash);
        Assert.Equal(first.Index.Shards, second.Index.Shards);
        Assert.Equal(before, await ListAsync(store, first.Prefix));   // same blobs, same last-modified times: nothing rewritten
    }

    [Fact]
    public async Task ShardCommand_BlobUrlWithConnectionString_PublishesThere()
    {
        string container = $"cli-{Guid.NewGuid():N}";
        string url = $"http://{azurite.Endpoints.Host}:{azurite.Endpoints.BlobPort}/devstoreaccount1/{container}/team";

        var (code, output) = await CliRunner.RunAsync("shard", "--source", coco.Root, "--out", url, "--shard-size", "48KB",
                                                      "--connection-string", azurite.Endpoints.ConnectionString);

        Assert.True(code == 0, output);
        string hash = (await ShardWriter.WriteAsync(coco.ReadTrain(), new DiscardingShardSink(), new ShardWriterOptions { TargetShardBytes = ShardBytes })).DatasetHash;
        Assert.Contains(hash, output);
        var store = await BlobArtifactStore.CreateContainerIfNotExistsAsync(Options(container));
        Assert.True(await store.ExistsAsync($"team/datasets/{hash}/shards/{ShardFormat.IndexName}"));

        var (inspectCode, inspect) = await CliRunner.RunAsync("dataset", "inspect", $"{url}/datasets/{hash}/shards",
                                                              "--connection-string", azurite.Endpoints.ConnectionString);
        Assert.True(inspectCode == 0, inspect);
        Assert.Contains("every shard's sha256 verified", inspect);
    }

    [Fact]
    public async Task ShardCommand_BlobSource_DownloadsThenShardsLikeTheLocalCopy()
    {
        string container = $"src-{Guid.NewGuid():N}";
        IArtifactStore store = await BlobArtifactStore.CreateContainerIfNotExistsAsync(Options(container));
        foreach (string file in Directory.EnumerateFiles(coco.Root, "*", SearchOption.AllDirectories))
        {
            await using var content = File.OpenRead(file);
            await store.UploadAsync("raw/coco/" + Path.GetRelativePath(coco.Root, file).Replace('\\', '/'), content);
        }
        string url = $"http://{azurite.Endpoints.Host}:{azurite.Endpoints.BlobPort}/devstoreaccount1/{container}/raw/coco";
        string output = coco.NewFolder();

        var (code, text) = await CliRunner.RunAsync("shard", "--source", url, "--cache", coco.NewFolder(), "--out", output, "--shard-size", "48KB",
                                                    "--connection-string", azurite.Endpoints.ConnectionString);

        Assert.True(code == 0, text);
        string hash = (await ShardWriter.WriteAsync(coco.ReadTrain(), new DiscardingShardSink(), new ShardWriterOptions { TargetShardBytes = ShardBytes })).DatasetHash;
        Assert.True(File.Exists(Path.Combine(output, "datasets", hash, "shards", ShardFormat.IndexName)), text);
    }

    private async Task<IArtifactStore> NewStoreAsync() => await BlobArtifactStore.CreateContainerIfNotExistsAsync(Options($"shards-{Guid.NewGuid():N}"));

    private BlobArtifactStoreOptions Options(string container) => new()
    {
        ConnectionString = azurite.Endpoints.ConnectionString,
        ContainerName = container,
        TransferChecksum = Azure.Storage.StorageChecksumAlgorithm.MD5,   // Azurite does not acknowledge CRC64 uploads
    };

    private static async Task<List<(string, long, DateTimeOffset)>> ListAsync(IArtifactStore store, string prefix)
    {
        var items = new List<(string, long, DateTimeOffset)>();
        await foreach (var item in store.ListAsync(prefix)) items.Add((item.Name, item.Size, item.LastModified));
        return items;
    }
}
