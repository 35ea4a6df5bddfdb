using Scrl.Cli.Tests.Support;
using Spectre.Console.Cli;

namespace Scrl.Cli.Tests.Commands;

public sealed class BenchRoiEvalCommandTests
{
    [Fact]
    public async Task SmallCase_ReportsExtractionAndHeadThroughputAndPeakMemory()
    {
        var (code, output) = await CliRunner.RunAsync("bench", "roi-eval", "--arch", "ResNet18", "--size", "64", "--images", "2", "--rois-per-image", "3", "--repeats", "1");

        Assert.True(code == 0, output);
        Assert.Contains("medians of 1", output);
        // arch, size, extract images/s, extract RoIs/s (3 per image: 3x the images/s), head-train RoIs/s, peak RSS MiB
        var row = System.Text.RegularExpressions.Regex.Match(output, @"ResNet18\s+│\s+64\s+│\s+([\d.]+)\s+│\s+([\d.]+)\s+│\s+(\d+)\s+│\s+(\d+)");
        Assert.True(row.Success, output);
        double images = double.Parse(row.Groups[1].Value), rois = double.Parse(row.Groups[2].Value);
        Assert.InRange(rois / images, 2.9, 3.1);
        Assert.True(int.Parse(row.Groups[4].Value) > 0);
    }

    [Fact]
    public async Task ZeroRepeats_IsRefusedBeforeAnythingRuns()
    {
        var error = await Assert.ThrowsAsync<CommandRuntimeException>(() => CliRunner.RunAsync("bench", "roi-eval", "--repeats", "0"));
        Assert.Contains("--repeats", error.Message);
    }
}
