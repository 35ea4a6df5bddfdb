using Scrl.Cli.Tests.Support;

namespace Scrl.Cli.Tests.Commands;

public sealed class BenchDataCommandTests(GeneratedCoco coco) : IClassFixture<GeneratedCoco>
{
    [Fact]
    public async Task WriteOnly_OnADatasetRoot_ReportsShardAndTarThroughputAndTheirRatio()
    {
        var (code, output) = await CliRunner.RunAsync("bench", "data", "--source", coco.Root, "--write-only", "--rounds", "1");

        Assert.True(code == 0, output);
        Assert.Contains($"{coco.ReadTrain().Records.Count} images", output);
        Assert.Matches(@"shard write through the page cache \(scrl shard --no-sync\)\s+│ \d+ MB/s, \d+\.\d\d CPU s", output);
        Assert.Matches(@"shard write, each shard on disk before its rename \(default\)\s+│ \d+ MB/s, \d+\.\d\d CPU s", output);
        Assert.Matches(@"tar -cf on the same images\s+│ \d+ MB/s", output);
        Assert.Matches(@"tar -cf, then fsync of the archive\s+│ \d+ MB/s", output);
        Assert.Matches(@"shard write / tar, both through the page cache\s+│ \d+\.\d\dx\s+│ >= 0\.8x", output);
        Assert.Matches(@"shard write / tar, both on disk\s+│ \d+\.\d\dx\s+│ >= 0\.8x", output);
        Assert.Matches(@"peak RSS of this process\s+│ \d+ MiB", output);
        Assert.Contains("too little to compare", output);   // a few hundred KB: the command says the ratio means little
        Assert.DoesNotContain("read + decode", output);   // --write-only skips the loader
    }
}
