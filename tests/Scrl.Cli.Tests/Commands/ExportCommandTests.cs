using Scrl.Cli.Tests.Support;
using Scrl.Core.Interop;
using Scrl.Core.Models;
using static TorchSharp.torch;

namespace Scrl.Cli.Tests.Commands;

/// <summary>
/// <c>scrl export</c> as users run it; the files themselves are proven against torchvision and detectron2's converter
/// in Scrl.Core.Tests.
/// </summary>
public sealed class ExportCommandTests(GeneratedCoco scratch) : IClassFixture<GeneratedCoco>
{
    [Fact]
    public async Task Export_TorchvisionWeights_WritesBothFormats_AndPrintsLinesThatPasteWhole()
    {
        string folder = scratch.NewFolder();
        string input = Path.Combine(folder, "resnet18.pth");
        using (var scope = NewDisposeScope())
        using (var fresh = new ResNetBackbone(ResNetVariant.ResNet18))
            TorchvisionExport.Save(fresh.state_dict(), input);
        string output = Path.Combine(folder, "export");

        var (run, capture) = CliRunner.Start(["export", input, "-o", output], width: 80, CancellationToken.None);
        Assert.Equal(0, await run);

        string[] lines = capture.ToString().Split('\n');
        string torchvision = Path.Combine(output, "backbone.pth");
        Assert.True(File.Exists(torchvision));
        Assert.Contains(lines, line => line == $"import torch, torchvision; model = torchvision.models.resnet18(); model.fc = torch.nn.Identity(); model.load_state_dict(torch.load(\"{torchvision}\"))");
        Assert.Contains(lines, line => line == Path.Combine(output, "backbone-d2.pkl"));
        Assert.Contains(lines, line => line == Path.Combine(output, "backbone-d2.yaml"));
        Assert.All(new[] { "backbone-d2.pkl", "backbone-d2.yaml" }, name => Assert.True(File.Exists(Path.Combine(output, name)), name));
        using var loaded = NewDisposeScope();
        Assert.Equal(18, ResNetLayout.Match(CheckpointImport.LoadBackbone(torchvision).Keys, torchvision).Depth);
    }

    [Theory]
    [InlineData("retinanet")]
    [InlineData("faster-rcnn")]
    public async Task Export_FineTunedDetector_WritesATorchvisionStateDictThatItsSnippetLoadsStrictly(string detector)
    {
        string folder = scratch.NewFolder();
        string trunk = Path.Combine(folder, "trunk", "step-000001.ckpt");
        using (var scope = NewDisposeScope())
        using (var fresh = new ResNetBackbone(ResNetVariant.ResNet18))
            new Scrl.Core.Training.Checkpoints.CheckpointStore(Path.GetDirectoryName(trunk)!, keep: 0).Save(fresh.state_dict(),
                new() { Step = 1, Epoch = 0, BatchInEpoch = 0, Method = "Scrl", Backbone = "ResNet18", ConfigHash = "" });
        string run = Path.Combine(folder, "run"), output = Path.Combine(folder, "export");
        var (trained, log) = await CliRunner.RunAsync(["finetune", "--detector", detector, "--backbone", trunk, "--train", scratch.Root, "-o", run,
                                                      .. FinetuneCommandTests.TinySchedule(steps: 1)]);
        Assert.True(trained == 0, log);

        var (code, printed) = await CliRunner.RunAsync("export", run, "-o", output);

        Assert.True(code == 0, printed);
        Assert.Contains($"exported the {detector} R18-FPN (", printed);
        string snippet = printed.Split('\n').Single(line => line.StartsWith("import torch, torchvision;", StringComparison.Ordinal));
        Assert.Contains(Path.Combine(output, "detector.pth"), snippet);
        Assert.Equal("strict load ok", RunPython(snippet + "; print('strict load ok')"));
        using var loaded = NewDisposeScope();
        Assert.Equal(18, ResNetLayout.Match(CheckpointImport.LoadBackbone(Path.Combine(output, "backbone.pth")).Keys, "body").Depth);
    }

    /// <summary>Debian's PyTorch 1.13 / torchvision 0.14 (or SCRL_PYTHON), as the golden scripts use; a missing one fails the test.</summary>
    private static string RunPython(string code)
    {
        string python = Environment.GetEnvironmentVariable("SCRL_PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";
        if (!File.Exists(python)) Assert.Fail($"Python not found at '{python}'; install python3-torch python3-torchvision or set SCRL_PYTHON.");
        var start = new System.Diagnostics.ProcessStartInfo(python) { ArgumentList = { "-c", code }, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "python did not finish within 2 minutes");
        Assert.True(process.ExitCode == 0, stderr.Result);
        return stdout.Result.Trim();
    }
}
