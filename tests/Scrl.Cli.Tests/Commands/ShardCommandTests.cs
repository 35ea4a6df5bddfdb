using System.Text.Json;
using Scrl.Cli.Tests.Support;
using Scrl.Core.Data.Shards;

namespace Scrl.Cli.Tests.Commands;

public sealed class ShardCommandTests(GeneratedCoco coco) : IClassFixture<GeneratedCoco>
{
    [Fact]
    public async Task Shard_LocalFolder_WritesIndexedSetAndSummary_ThenReusesIt()
    {
        string store = coco.NewFolder();

        // An 80-column console, as in a small terminal: the pretrain command it prints must still be one line.
        var (run, capture) = CliRunner.Start(["shard", "--source", coco.Root, "--format", "coco", "--out", store, "--shard-size", "48KB"], width: 80, CancellationToken.None);
        int code = await run;
        string output = capture.ToString();

        Assert.True(code == 0, output);
        string shards = Assert.Single(Directory.GetDirectories(Path.Combine(store, "datasets")));
        var index = await ShardIndex.ReadAsync(new ShardFolder(Path.Combine(shards, "shards")));
        Assert.Equal(Path.GetFileName(shards), index.DatasetHash);
        Assert.Equal(coco.ReadTrain().Records.Count, index.SampleCount);
        Assert.Contains(index.DatasetHash, output);
        Assert.Contains($"{index.SampleCount} of {index.SampleCount} read", output);
        Assert.Contains("written in", output);
        string shardFolder = Path.Combine(shards, "shards");
        Assert.Contains(output.Split('\n'), line => line == $"scrl pretrain --set data.format=Shards --set data.source={shardFolder}{Path.DirectorySeparatorChar}");

        var (again, secondOutput) = await CliRunner.RunAsync("shard", "--source", coco.Root, "--out", store, "--shard-size", "48KB");
        Assert.True(again == 0, secondOutput);
        Assert.Contains("reused", secondOutput);
    }

    [Fact]
    public async Task Shard_NoSync_WritesTheSameShards()
    {
        string synced = coco.NewFolder(), cached = coco.NewFolder();

        var (code, output) = await CliRunner.RunAsync("shard", "--source", coco.Root, "--out", synced, "--shard-size", "48KB");
        Assert.True(code == 0, output);
        (code, output) = await CliRunner.RunAsync("shard", "--source", coco.Root, "--out", cached, "--shard-size", "48KB", "--no-sync");
        Assert.True(code == 0, output);

        string one = ShardsIn(synced), two = ShardsIn(cached);
        Assert.Equal(Path.GetRelativePath(synced, one), Path.GetRelativePath(cached, two));   // the same dataset hash
        var names = Directory.GetFiles(one).Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(names, Directory.GetFiles(two).Select(Path.GetFileName).Order().ToArray());
        foreach (string name in names.Select(n => n!))
            Assert.True(File.ReadAllBytes(Path.Combine(one, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(two, name))), $"{name} differs");
    }

    private static string ShardsIn(string store) => Path.Combine(Assert.Single(Directory.GetDirectories(Path.Combine(store, "datasets"))), "shards");

    [Fact]
    public async Task Shard_SkipBad_DropsTheCorruptImageAndReportsIt()
    {
        string root = coco.CopyRoot();
        var bad = coco.ReadTrain(root).Records[3];
        File.WriteAllBytes(bad.ImagePath, [0xFF, 0xD8, 0xFF, 0x00]);   // a JPEG header and nothing else
        string store = coco.NewFolder();
        string report = Path.Combine(store, "problems.json");

        var failure = await Assert.ThrowsAsync<InvalidDataException>(() => CliRunner.RunAsync("shard", "--source", root, "--out", store));
        Assert.Contains($"CorruptImage: image {bad.ImageId}", failure.Message);

        var (code, output) = await CliRunner.RunAsync("shard", "--source", root, "--out", store, "--skip-bad", "--report", report);

        Assert.True(code == 0, output);
        int total = coco.ReadTrain(root).Records.Count;
        Assert.Contains($"{total - 1} of {total} read (1 bad", output);
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        Assert.Equal(bad.ImageId, Assert.Single(json.RootElement.GetProperty("badImageIds").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task Shard_BadShardSize_FailsValidation()
    {
        var e = await Assert.ThrowsAsync<Spectre.Console.Cli.CommandRuntimeException>(
            () => CliRunner.RunAsync("shard", "--source", coco.Root, "--out", coco.NewFolder(), "--shard-size", "lots"));

        Assert.Contains("--shard-size 'lots' is not a size", e.Message);
    }
}
