using Scrl.Core.Data.Datasets;
using Scrl.Core.Data.Shards;

namespace Scrl.Core.Tests.Data.Shards;

public sealed class ShardSetReaderTests(SyntheticShardFixture fixture) : IClassFixture<SyntheticShardFixture>
{
    private const long SmallShardBytes = 24 * 1024;

    [Fact]
    public async Task ReadAsync_CleanSet_RecordsMatchSourceAndNoProblems()
    {
        var (folder, index) = await ShardRoundTrip.WriteAsync(fixture.Dataset, fixture.NewFolder(), SmallShardBytes);

        var contents = await ShardSetReader.ReadAsync(index, folder, decodeImages: true);

        Assert.Empty(contents.ImageProblems);
        Assert.Equal(fixture.Dataset.Categories, contents.Dataset.Categories);
        Assert.Equal(fixture.Dataset.Records.Select(r => (r.ImageId, r.FileName, r.Width, r.Height, r.Instances.Count)),
                     contents.Dataset.Records.Select(r => (r.ImageId, r.FileName, r.Width, r.Height, r.Instances.Count)));
        Assert.Equal(fixture.Dataset.Records.SelectMany(r => r.Instances.Select(i => (i.CategoryId, i.Box))),
                     contents.Dataset.Records.SelectMany(r => r.Instances.Select(i => (i.CategoryId, i.Box))));
        Assert.True(DatasetValidator.ValidateAnnotations(contents.Dataset, new DatasetValidationOptions(), contents.ImageProblems).IsValid);
    }

    [Fact]
    public async Task ReadAsync_ShardChangedAfterIndexing_ThrowsNamingTheShard()
    {
        var (folder, index) = await ShardRoundTrip.WriteAsync(fixture.Dataset, fixture.NewFolder(), SmallShardBytes);
        string victim = folder.PathOf(index.Shards[1].Name);
        byte[] bytes = File.ReadAllBytes(victim);
        bytes[600] ^= 0xFF;   // inside the first member's data: the tar still parses, only the hash can tell
        File.WriteAllBytes(victim, bytes);

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => ShardSetReader.ReadAsync(index, folder, decodeImages: false));
        Assert.Contains(index.Shards[1].Name, e.Message);
        Assert.Contains("sha256", e.Message);
    }

    [Fact]
    public async Task DiscardingSink_GivesTheIndexOfARealWrite()
    {
        var (_, written) = await ShardRoundTrip.WriteAsync(fixture.Dataset, fixture.NewFolder(), SmallShardBytes);

        var hashed = await ShardWriter.WriteAsync(fixture.Dataset, new DiscardingShardSink(), new ShardWriterOptions { TargetShardBytes = SmallShardBytes });

        Assert.Equal(written.DatasetHash, hashed.DatasetHash);
        Assert.Equal(written.Shards, hashed.Shards);
    }

    [Fact]
    public async Task WriteAsync_ReportsEverySampleInOrder()
    {
        var reports = new List<ShardWriteProgress>();
        var index = await ShardWriter.WriteAsync(fixture.Dataset, new DiscardingShardSink(), new ShardWriterOptions { TargetShardBytes = SmallShardBytes },
                                     new InlineProgress(reports.Add));

        var samples = reports.Select(r => r.SamplesWritten).Distinct().ToList();
        Assert.Equal(Enumerable.Range(1, fixture.Dataset.Records.Count), samples);
        Assert.Equal(reports.Select(r => r.BytesWritten).Order(), reports.Select(r => r.BytesWritten));   // never goes back
        Assert.Equal(index.Shards.Count, reports[^1].ShardsWritten);
        Assert.Equal(index.TotalBytes, reports[^1].BytesWritten);
    }

    private sealed class InlineProgress(Action<ShardWriteProgress> report) : IProgress<ShardWriteProgress>
    {
        public void Report(ShardWriteProgress value) => report(value);
    }
}
