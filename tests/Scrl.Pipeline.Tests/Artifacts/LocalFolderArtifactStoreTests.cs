using Scrl.Pipeline.Artifacts;
using Xunit.Abstractions;

namespace Scrl.Pipeline.Tests.Artifacts;

/// <summary>The store contract on a temp folder, plus what only a folder can show (its files on disk).</summary>
public sealed class LocalFolderArtifactStoreTests(ITestOutputHelper output) : ArtifactStoreContractTests(output), IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("scrl-artifacts-");

    // Renewal ticks every third of a lease, so the claim survives two late ticks; 3 s leaves room for a pool busy with
    // other test assemblies on two cores (1 s once lost a renewal there).
    protected override TimeSpan ShortLease => TimeSpan.FromSeconds(3);

    protected override Task<IArtifactStore> CreateStoreAsync() =>
        Task.FromResult<IArtifactStore>(new LocalFolderArtifactStore(_root.FullName));

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task OpenRead_FileCorruptedUnderTheStore_ThrowsInvalidDataAtEnd()
    {
        IArtifactStore store = new LocalFolderArtifactStore(_root.FullName);
        await store.UploadAsync("runs/r1/pretrain/step-000001.ckpt", new PseudoRandomStream(3 << 20));
        string path = Path.Combine(_root.FullName, "runs", "r1", "pretrain", "step-000001.ckpt");
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Position = 1_000_000;
            int original = file.ReadByte();
            file.Position = 1_000_000;
            file.WriteByte((byte)(original ^ 0x01)); // one flipped bit
        }

        await using Stream stream = await store.OpenReadAsync("runs/r1/pretrain/step-000001.ckpt");
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => StreamDigest.ReadToEndAsync(stream));
        Assert.Contains("runs/r1/pretrain/step-000001.ckpt", error.Message);
    }

    [Fact]
    public async Task OpenRead_FileWithoutItsHashAttribute_IsStillVerifiedByTheSidecar()
    {
        IArtifactStore store = new LocalFolderArtifactStore(_root.FullName);
        await store.UploadAsync("runs/r1/a.ckpt", new PseudoRandomStream(1 << 20));
        string original = Path.Combine(_root.FullName, "runs", "r1", "a.ckpt");
        string copy = Path.Combine(_root.FullName, "runs", "r1", "b.ckpt");
        File.Copy(original, copy);   // content only, as a copy by hand would be
        File.Copy(Path.Combine(_root.FullName, "runs", "r1", ".a.ckpt.md5"), Path.Combine(_root.FullName, "runs", "r1", ".b.ckpt.md5"));
        await using (var file = new FileStream(copy, FileMode.Open, FileAccess.Write)) file.WriteByte(0x5A);

        await using Stream stream = await store.OpenReadAsync("runs/r1/b.ckpt");
        await Assert.ThrowsAsync<InvalidDataException>(() => StreamDigest.ReadToEndAsync(stream));
    }

    [Fact]
    public async Task OpenWrite_InProgress_TempFileExistsButIsNeverListed()
    {
        IArtifactStore store = new LocalFolderArtifactStore(_root.FullName);
        await using ArtifactWriteStream writer = await store.OpenWriteAsync("runs/r1/pretrain/step-000002.ckpt");
        await writer.WriteAsync(new byte[1 << 20]);
        await writer.FlushAsync();

        string folder = Path.Combine(_root.FullName, "runs", "r1", "pretrain");
        string temp = Assert.Single(Directory.GetFiles(folder));
        Assert.StartsWith(".step-000002.ckpt.", Path.GetFileName(temp));
        Assert.Empty(await ListAsync(store, ""));
        Assert.False(await store.ExistsAsync("runs/r1/pretrain/step-000002.ckpt"));
    }

    [Fact]
    public async Task List_TempFileLeftByACrashedWriter_IsIgnored()
    {
        IArtifactStore store = new LocalFolderArtifactStore(_root.FullName);
        await UploadTextAsync(store, "runs/r1/pretrain/latest", "step-000100.ckpt");
        string folder = Path.Combine(_root.FullName, "runs", "r1", "pretrain");
        await File.WriteAllTextAsync(Path.Combine(folder, ".step-000200.ckpt.0123456789abcdef0123456789abcdef.tmp"), "partial");

        Assert.Equal(["runs/r1/pretrain/latest"], (await ListAsync(store, "")).Select(a => a.Name));
    }

    [Fact]
    public async Task MoveIntoPlace_StagedFiles_ReplaceThePrefixTogetherAndStagingIsNeverListed()
    {
        var store = new LocalFolderArtifactStore(_root.FullName);
        await UploadTextAsync(store, "datasets/abc/shards/stale.tar", "left by a crashed writer");
        await UploadTextAsync(store, "datasets/other/shards/index.json", "untouched");
        string staging = store.CreateStagingFolder();
        await File.WriteAllTextAsync(Path.Combine(staging, "shard-000000.tar"), "shard");
        await File.WriteAllTextAsync(Path.Combine(staging, "index.json"), "index");
        Assert.Equal(["datasets/abc/shards/stale.tar", "datasets/other/shards/index.json"], (await ListAsync(store, "")).Select(a => a.Name));

        store.MoveIntoPlace(staging, "datasets/abc/shards/");

        Assert.Equal(["datasets/abc/shards/index.json", "datasets/abc/shards/shard-000000.tar", "datasets/other/shards/index.json"],
                     (await ListAsync(store, "")).Select(a => a.Name));
        Assert.Equal("shard", await ReadTextAsync(store, "datasets/abc/shards/shard-000000.tar"));
        Assert.False(Directory.Exists(staging));
        Assert.Equal(["datasets"], Directory.GetDirectories(_root.FullName).Select(Path.GetFileName));   // nothing staged or replaced is left
    }

    [Fact]
    public void MoveIntoPlace_FolderNotFromCreateStagingFolder_Throws()
    {
        var store = new LocalFolderArtifactStore(_root.FullName);
        string elsewhere = Directory.CreateDirectory(Path.Combine(_root.FullName, "runs")).FullName;

        Assert.Throws<ArgumentException>(() => store.MoveIntoPlace(elsewhere, "datasets/abc/shards/"));
        Assert.Throws<ArgumentException>(() => store.MoveIntoPlace(store.CreateStagingFolder(), "datasets/abc/shards"));
    }

    [Fact]
    public async Task OpenRead_NoSidecar_ReadsUnverified()
    {
        IArtifactStore store = new LocalFolderArtifactStore(_root.FullName);
        Directory.CreateDirectory(Path.Combine(_root.FullName, "imported"));
        await File.WriteAllTextAsync(Path.Combine(_root.FullName, "imported", "weights.pth"), "copied in by hand");

        Assert.Equal("copied in by hand", await ReadTextAsync(store, "imported/weights.pth"));
        Assert.Null(Assert.Single(await ListAsync(store, "imported/")).ContentMd5);
    }

    [Fact]
    public async Task TryClaim_TwoStoresOnOneFolder_ShareClaims()
    {
        IArtifactStore first = new LocalFolderArtifactStore(_root.FullName);
        IArtifactStore second = new LocalFolderArtifactStore(_root.FullName);

        await using IArtifactClaim? held = await first.TryClaimAsync("jobs/j9", TimeSpan.FromSeconds(30));
        Assert.NotNull(held);
        Assert.Null(await second.TryClaimAsync("jobs/j9", TimeSpan.FromSeconds(30)));
    }
}
