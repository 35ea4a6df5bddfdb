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
}
