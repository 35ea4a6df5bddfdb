using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Scrl.Pipeline.Artifacts;
using Scrl.Pipeline.Tests.Azurite;
using Xunit.Abstractions;

namespace Scrl.Pipeline.Tests.Artifacts;

/// <summary>The store contract on Azurite (one fresh container per test), plus Blob-specific behaviour.</summary>
[Collection(AzuriteCollection.Name)]
[Trait("Category", "Azurite")]
public sealed class BlobArtifactStoreTests(AzuriteFixture azurite, ITestOutputHelper output) : ArtifactStoreContractTests(output)
{
    protected override TimeSpan ShortLease => BlobArtifactStore.MinLeaseDuration;

    protected override async Task<IArtifactStore> CreateStoreAsync() => await BlobArtifactStore.CreateContainerIfNotExistsAsync(NewOptions());

    [Fact]
    public async Task FailedUpload_StagedBlocksExistButTheBlobDoesNot()
    {
        BlobArtifactStoreOptions options = NewOptions();
        IArtifactStore store = await BlobArtifactStore.CreateContainerIfNotExistsAsync(options);

        await Assert.ThrowsAsync<IOException>(() =>
            store.UploadAsync("runs/r1/pretrain/x.ckpt", new PseudoRandomStream(64 << 20, failAfter: 40 << 20)));

        BlockBlobClient blob = Container(options).GetBlockBlobClient("runs/r1/pretrain/x.ckpt");
        BlockList blocks = await blob.GetBlockListAsync(BlockListTypes.All);
        Assert.NotEmpty(blocks.UncommittedBlocks);   // the bytes reached the service...
        Assert.Empty(blocks.CommittedBlocks);        // ...but none are part of a visible blob
        Assert.False(await blob.ExistsAsync());
    }

    [Fact]
    public async Task OpenRead_StoredMd5DoesNotMatch_ThrowsInvalidData()
    {
        BlobArtifactStoreOptions options = NewOptions();
        IArtifactStore store = await BlobArtifactStore.CreateContainerIfNotExistsAsync(options);
        await store.UploadAsync("runs/r1/pretrain/y.ckpt", new PseudoRandomStream(5 << 20));
        BlobClient blob = Container(options).GetBlobClient("runs/r1/pretrain/y.ckpt");
        await blob.SetHttpHeadersAsync(new BlobHttpHeaders { ContentHash = new byte[16] });

        await using Stream stream = await store.OpenReadAsync("runs/r1/pretrain/y.ckpt");
        await Assert.ThrowsAsync<InvalidDataException>(() => StreamDigest.ReadToEndAsync(stream));
    }

    [Fact]
    public async Task OpenRead_BlobWithoutMd5_ReadsEveryRangeChecksummed()
    {
        BlobArtifactStoreOptions options = NewOptions();
        IArtifactStore store = await BlobArtifactStore.CreateContainerIfNotExistsAsync(options);
        const long size = (9 << 20) + 123;   // three 4 MiB ranges, the last partial
        await store.UploadAsync("runs/r1/pretrain/z.ckpt", new PseudoRandomStream(size));
        BlobClient blob = Container(options).GetBlobClient("runs/r1/pretrain/z.ckpt");
        await blob.SetHttpHeadersAsync(new BlobHttpHeaders());   // as other tools leave large blobs
        Assert.Null((await blob.GetPropertiesAsync()).Value.ContentHash);

        (string expectedSha, _) = await StreamDigest.ReadToEndAsync(new PseudoRandomStream(size));
        await using Stream stream = await store.OpenReadAsync("runs/r1/pretrain/z.ckpt");
        Assert.Equal((expectedSha, size), await StreamDigest.ReadToEndAsync(stream));
    }

    [Fact]
    public async Task Commit_StoresWholeContentMd5()
    {
        BlobArtifactStoreOptions options = NewOptions();
        IArtifactStore store = await BlobArtifactStore.CreateContainerIfNotExistsAsync(options);
        byte[] content = "hello checkpoint"u8.ToArray();
        await store.UploadAsync("a/b", new MemoryStream(content));

        BlobProperties properties = await Container(options).GetBlobClient("a/b").GetPropertiesAsync();
        Assert.Equal(System.Security.Cryptography.MD5.HashData(content), properties.ContentHash);
    }

    [Theory]
    [InlineData(14)]
    [InlineData(61)]
    public async Task TryClaim_LeaseOutsideServiceRange_Throws(int seconds)
    {
        IArtifactStore store = await CreateStoreAsync();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.TryClaimAsync("jobs/j1", TimeSpan.FromSeconds(seconds)));
    }

    private BlobArtifactStoreOptions NewOptions() => new()
    {
        ConnectionString = azurite.Endpoints.ConnectionString,
        ContainerName = $"test-{Guid.NewGuid():N}",
        BlockSizeBytes = 8 << 20,
        MaxConcurrency = 4,
        // Azurite 3.35 does not acknowledge the CRC64 structured-message bodies that Auto selects; the
        // service's per-request MD5 check exercises the same validation path.
        TransferChecksum = StorageChecksumAlgorithm.MD5,
    };

    private static BlobContainerClient Container(BlobArtifactStoreOptions options) =>
        new BlobServiceClient(options.ConnectionString).GetBlobContainerClient(options.ContainerName);
}
