using System.Text.Json;
using Scrl.Cli.Analysis;
using Scrl.Cli.Tests.Support;

namespace Scrl.Cli.Tests.Commands;

public sealed class LinearEvalCommandTests(GeneratedCoco coco) : IClassFixture<GeneratedCoco>
{
    [Fact]
    public async Task LinearEval_CropsOfAGeneratedDataset_WritesTop1IntoTheRunWhereCorrelationFindsIt()
    {
        string crops = Path.Combine(coco.NewFolder(), "crops");
        var (cropCode, cropText) = await CliRunner.RunAsync("data", "crops", "--source", coco.Root, "-o", crops);
        Assert.True(cropCode == 0, cropText);
        Assert.Contains("train:", cropText);
        string run = coco.NewFolder();

        var (code, text) = await CliRunner.RunAsync(
            "linear-eval", "--backbone", "random", "--arch", "ResNet18", "--train", Path.Combine(crops, "train"), "--val", Path.Combine(crops, "val"),
            "--set", "imageSize=32", "--set", "epochs=2", "-o", Path.Combine(run, "linear-eval"));

        Assert.True(code == 0, text);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "linear-eval", "linear-eval.json")));
        Assert.Equal("Image", json.RootElement.GetProperty("variant").GetString());
        double top1 = json.RootElement.GetProperty("scores").GetProperty("top1").GetDouble();
        Assert.InRange(top1, 0, 1);
        Assert.Equal(top1, RunFolderScores.Read(run).Metrics["linear-eval.top1"]);
        Assert.True(File.Exists(Path.Combine(run, "linear-eval", "linear-eval-by-size.png")));
    }

    [Fact]
    public async Task LinearEval_UnlabelledFolder_SaysItNeedsClassSubfolders()
    {
        string flat = coco.NewFolder();
        File.Copy(coco.ReadTrain().Records[0].ImagePath, Path.Combine(flat, "a.jpg"));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => CliRunner.RunAsync("linear-eval", "--train", flat, "--val", flat));
        Assert.Contains("class subfolder", error.Message);
    }
}
