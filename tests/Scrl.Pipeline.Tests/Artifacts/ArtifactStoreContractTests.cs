using System.Diagnostics;
using System.Text;
using Scrl.Pipeline.Artifacts;
using Xunit.Abstractions;

namespace Scrl.Pipeline.Tests.Artifacts;

/// <summary>
/// Behaviour every <see cref="IArtifactStore"/> must have; each implementation's test class derives from
/// this and supplies a fresh, empty store.
/// </summary>
public abstract class ArtifactStoreContractTests(ITestOutputHelper output)
{
    private const long OneGigabyte = 1L << 30;
    private const long HundredMegabytes = 100L << 20;
    private const long MemoryBoundBytes = 200L << 20;

    /// <summary>An empty store, private to the calling test.</summary>
    protected abstract Task<IArtifactStore> CreateStoreAsync();

    /// <summary>The shortest lease the store allows, to keep expiry tests short.</summary>
    protected abstract TimeSpan ShortLease { get; }

    protected ITestOutputHelper Output { get; } = output;

    [Fact]
    public async Task RoundTrip_OneGigabyte_StreamsWithBoundedMemoryAndSameBytes()
    {
        IArtifactStore store = await CreateStoreAsync();
        const string name = "runs/r1/pretrain/step-000500.ckpt";
        (string expectedSha, _) = await StreamDigest.ReadToEndAsync(new PseudoRandomStream(OneGigabyte));
        long allocatedBefore = GC.GetTotalAllocatedBytes();

        await using var memory = new MemoryHighWaterMark();
        var upload = Stopwatch.StartNew();
        await store.UploadAsync(name, new PseudoRandomStream(OneGigabyte));
        upload.Stop();
        var download = Stopwatch.StartNew();
        (string actualSha, long actualLength) = await ReadAllAsync(store, name);
        download.Stop();

        long peak = memory.PeakGrowthBytes;
        Output.WriteLine($"{GetType().Name}: upload {upload.Elapsed.TotalSeconds:F1} s, download+verify {download.Elapsed.TotalSeconds:F1} s, " +
            $"working-set peak growth {peak >> 20} MiB, allocated {(GC.GetTotalAllocatedBytes() - allocatedBefore) >> 20} MiB");
        Assert.Equal(OneGigabyte, actualLength);
        Assert.Equal(expectedSha, actualSha);
        Assert.True(peak < MemoryBoundBytes, $"working set grew by {peak >> 20} MiB while streaming 1 GiB");
        ArtifactInfo info = Assert.Single(await ListAsync(store, "runs/r1/"));
        Assert.Equal(OneGigabyte, info.Size);
        Assert.NotNull(info.ContentMd5);
    }

    [Fact]
    public async Task Upload_SourceFailsAfter100Megabytes_NothingVisible()
    {
        IArtifactStore store = await CreateStoreAsync();
        const string name = "runs/r1/pretrain/step-000100.ckpt";

        var failure = await Assert.ThrowsAsync<IOException>(() =>
            store.UploadAsync(name, new PseudoRandomStream(OneGigabyte, failAfter: HundredMegabytes)));

        Assert.Contains("on purpose", failure.Message);
        Assert.False(await store.ExistsAsync(name));
        Assert.Empty(await ListAsync(store, ""));
        await Assert.ThrowsAsync<FileNotFoundException>(() => store.OpenReadAsync(name));
    }

    [Fact]
    public async Task Upload_CancelledMidway_NothingVisible()
    {
        IArtifactStore store = await CreateStoreAsync();
        const string name = "runs/r1/pretrain/cancelled.ckpt";
        using var cancel = new CancellationTokenSource();
        await using (ArtifactWriteStream writer = await store.OpenWriteAsync(name))
        {
            var source = new PseudoRandomStream(HundredMegabytes);
            byte[] chunk = new byte[1 << 20];
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                for (int mb = 0; ; mb++)
                {
                    if (mb == 40) await cancel.CancelAsync();
                    int read = await source.ReadAsync(chunk, cancel.Token);
                    await writer.WriteAsync(chunk.AsMemory(0, read), cancel.Token);
                }
            });
        }

        Assert.False(await store.ExistsAsync(name));
        Assert.Empty(await ListAsync(store, ""));
    }

    [Fact]
    public async Task OpenWrite_BeforeCommit_OldContentStaysVisible()
    {
        IArtifactStore store = await CreateStoreAsync();
        const string name = "runs/r1/pretrain/latest";
        await UploadTextAsync(store, name, "step-000100.ckpt");

        await using ArtifactWriteStream writer = await store.OpenWriteAsync(name);
        await writer.WriteAsync(Encoding.UTF8.GetBytes("step-000200.ckpt"));
        Assert.Equal("step-000100.ckpt", await ReadTextAsync(store, name));

        await writer.CommitAsync();
        Assert.Equal("step-000200.ckpt", await ReadTextAsync(store, name));
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.CommitAsync());
    }

    [Fact]
    public async Task Write_DisposedWithoutCommit_NothingVisible()
    {
        IArtifactStore store = await CreateStoreAsync();
        await using (ArtifactWriteStream writer = await store.OpenWriteAsync("a/b.bin"))
        {
            writer.Write(new byte[3 << 20]); // synchronous writers are supported too
        }
        Assert.False(await store.ExistsAsync("a/b.bin"));
        Assert.Empty(await ListAsync(store, ""));
    }

    [Fact]
    public async Task OpenRead_WhileTheArtifactIsOverwritten_ReadsOneWholeVersion()
    {
        IArtifactStore store = await CreateStoreAsync();
        string[] versions = ["step-000002", "step-000004-and-longer"];
        await store.UploadAsync("run/latest", new MemoryStream(Encoding.UTF8.GetBytes(versions[0])));
        using var stop = new CancellationTokenSource();
        Task overwriting = Task.Run(async () =>
        {
            for (int i = 1; !stop.IsCancellationRequested; i++)
                await store.UploadAsync("run/latest", new MemoryStream(Encoding.UTF8.GetBytes(versions[i % 2])));
        });

        try
        {
            for (int read = 0; read < 2000; read++)   // enough to land in a replacement's window every run (200 did not)
            {
                await using Stream stream = await store.OpenReadAsync("run/latest");
                Assert.Contains(await new StreamReader(stream).ReadToEndAsync(), versions);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await overwriting;
        }
    }

    [Fact]
    public async Task EmptyArtifact_RoundTrips()
    {
        IArtifactStore store = await CreateStoreAsync();
        await UploadTextAsync(store, "runs/r1/report/empty.txt", "");
        Assert.Equal("", await ReadTextAsync(store, "runs/r1/report/empty.txt"));
        Assert.Equal(0, Assert.Single(await ListAsync(store, "runs/")).Size);
    }

    [Fact]
    public async Task List_WithPrefix_ReturnsOnlyMatchingNamesInOrdinalOrder()
    {
        IArtifactStore store = await CreateStoreAsync();
        string[] names =
        [
            "runs/r1/pretrain/step-000200.ckpt", "runs/r1/pretrain/step-000100.ckpt", "runs/r1/pretrain/metrics.jsonl",
            "runs/r1/pretrain-extra/x", "runs/r1/roi-eval/result.json", "runs/r10/pretrain/latest",
            "datasets/0123456789abcdef/shards/000001.tar",
        ];
        foreach (string name in names) await UploadTextAsync(store, name, name);

        Assert.Equal(
            ["runs/r1/pretrain/metrics.jsonl", "runs/r1/pretrain/step-000100.ckpt", "runs/r1/pretrain/step-000200.ckpt"],
            (await ListAsync(store, ArtifactName.RunStagePrefix("r1", "pretrain"))).Select(a => a.Name));
        Assert.Equal(
            ["runs/r1/pretrain-extra/x", "runs/r1/pretrain/metrics.jsonl", "runs/r1/pretrain/step-000100.ckpt", "runs/r1/pretrain/step-000200.ckpt"],
            (await ListAsync(store, "runs/r1/pre")).Select(a => a.Name));
        Assert.Equal(7, (await ListAsync(store, "")).Count);
        Assert.Empty(await ListAsync(store, "nothing/here/"));
        ArtifactInfo metrics = (await ListAsync(store, "runs/r1/pretrain/metrics")).Single();
        Assert.Equal(Encoding.UTF8.GetByteCount(metrics.Name), metrics.Size);
        Assert.InRange(metrics.LastModified, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task Delete_RemovesOnlyThatArtifact()
    {
        IArtifactStore store = await CreateStoreAsync();
        await UploadTextAsync(store, "a/one", "1");
        await UploadTextAsync(store, "a/two", "2");

        Assert.True(await store.DeleteAsync("a/one"));
        Assert.False(await store.DeleteAsync("a/one"));
        Assert.False(await store.ExistsAsync("a/one"));
        Assert.Equal(["a/two"], (await ListAsync(store, "a/")).Select(a => a.Name));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("/etc/passwd")]
    [InlineData("runs\\r1\\x")]
    [InlineData("runs/ü")]
    [InlineData("")]
    public async Task Operations_InvalidName_ThrowArgumentException(string name)
    {
        IArtifactStore store = await CreateStoreAsync();
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.OpenReadAsync(name));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.OpenWriteAsync(name));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.ExistsAsync(name));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.DeleteAsync(name));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.TryClaimAsync(name, ShortLease));
    }

    [Fact]
    public async Task TryClaim_ConcurrentClaimers_ExactlyOneWins()
    {
        IArtifactStore store = await CreateStoreAsync();
        IArtifactClaim?[] claims = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => Task.Run(() => store.TryClaimAsync("runs/r1/pretrain/job", ShortLease))));

        IArtifactClaim winner = Assert.Single(claims, c => c is not null)!;
        Assert.False(winner.IsLost);
        Assert.True(await winner.RenewAsync());
        await winner.DisposeAsync();
    }

    [Fact]
    public async Task Release_LetsAnotherClaimerWinAtOnce()
    {
        IArtifactStore store = await CreateStoreAsync();
        IArtifactClaim first = (await store.TryClaimAsync("jobs/j1", ShortLease))!;
        Assert.NotNull(first);
        Assert.Null(await store.TryClaimAsync("jobs/j1", ShortLease));

        await first.ReleaseAsync();
        await using IArtifactClaim? second = await store.TryClaimAsync("jobs/j1", ShortLease);
        Assert.NotNull(second);
        Assert.False(first.IsLost);
    }

    [Fact]
    public async Task Claim_AutoRenewalKeepsIt_StoppingRenewalLosesItToTheNextClaimer()
    {
        IArtifactStore store = await CreateStoreAsync();
        await using IArtifactClaim holder = (await store.TryClaimAsync("jobs/j2", ShortLease))!;
        holder.StartAutoRenewal();

        await Task.Delay(ShortLease * 1.5);
        Assert.False(holder.IsLost);
        Assert.Null(await store.TryClaimAsync("jobs/j2", ShortLease));

        await holder.StopAutoRenewalAsync();
        var waited = Stopwatch.StartNew();
        IArtifactClaim? next = null;
        while (next is null && waited.Elapsed < ShortLease * 3)
        {
            await Task.Delay(ShortLease / 10);
            next = await store.TryClaimAsync("jobs/j2", ShortLease);
        }
        Output.WriteLine($"taken over {waited.Elapsed.TotalSeconds:F1} s after renewal stopped (lease {ShortLease.TotalSeconds} s)");

        Assert.NotNull(next);
        Assert.True(holder.IsLost);
        Assert.True(holder.LostToken.IsCancellationRequested);
        Assert.False(await holder.RenewAsync());
        Assert.False(next.IsLost);
        await next.DisposeAsync();
    }

    [Fact]
    public async Task Claims_AreNotListedAndDoNotBlockTheArtifactOfTheSameName()
    {
        IArtifactStore store = await CreateStoreAsync();
        await using IArtifactClaim? claim = await store.TryClaimAsync("runs/r1/pretrain/result.json", ShortLease);
        Assert.NotNull(claim);

        await UploadTextAsync(store, "runs/r1/pretrain/result.json", "{}");
        Assert.Equal(["runs/r1/pretrain/result.json"], (await ListAsync(store, "")).Select(a => a.Name));
    }

    protected static async Task<List<ArtifactInfo>> ListAsync(IArtifactStore store, string prefix)
    {
        var items = new List<ArtifactInfo>();
        await foreach (ArtifactInfo item in store.ListAsync(prefix)) items.Add(item);
        return items;
    }

    protected static Task UploadTextAsync(IArtifactStore store, string name, string text) =>
        store.UploadAsync(name, new MemoryStream(Encoding.UTF8.GetBytes(text)));

    protected static async Task<string> ReadTextAsync(IArtifactStore store, string name)
    {
        await using Stream stream = await store.OpenReadAsync(name);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    private static async Task<(string Sha256, long Length)> ReadAllAsync(IArtifactStore store, string name)
    {
        await using Stream stream = await store.OpenReadAsync(name);
        return await StreamDigest.ReadToEndAsync(stream);
    }
}
