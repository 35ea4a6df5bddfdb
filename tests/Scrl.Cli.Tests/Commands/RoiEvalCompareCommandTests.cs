using System.Text.Json;
using Scrl.Cli.Tests.Support;

namespace Scrl.Cli.Tests.Commands;

public sealed class RoiEvalCompareCommandTests(GeneratedCoco coco) : IClassFixture<GeneratedCoco>
{
    [Fact]
    public async Task Compare_TwoBackbones_RanksThemInOneTable_AndWritesAReportEach()
    {
        string output = Path.Combine(coco.NewFolder(), "compare");

        var (code, text) = await CliRunner.RunAsync(
            "roi-eval", "compare", "random", "random", "--arch", "ResNet18", "--train", coco.Root, "--val", coco.Root,
            "--set", "imageSize=112", "--set", "epochs=1", "-o", output);

        Assert.True(code == 0, text);
        Assert.Matches(@"│ 1\s+│ random\s+│ ResNet18\s+│ \d+\.\d\d %", text);   // named as given, not by a resolved path
        Assert.Matches(@"│ 2\s+│ random\s+│ ResNet18\s+│ \d+\.\d\d %", text);
        foreach (string report in new[] { "0-random", "1-random" })
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, report, "roi-eval.json")));
            Assert.InRange(json.RootElement.GetProperty("scores").GetProperty("top1").GetDouble(), 0, 1);
        }
    }
}
