using Scrl.Core.Interop;
using Scrl.Core.Tests.Support;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Interop;

public class Detectron2ExportTests
{
    [Fact]
    public void Save_Resnet18_EqualsDetectron2ConverterOutput_ReadWithPlainPickle()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        var weights = ResNetTrunk.Resnet18(seed: 3).state_dict();
        TorchvisionExport.Save(weights, dir.File("r18.pth"));

        Detectron2Export.Save(weights, dir.File("r18.pkl"));

        string output = PythonOracle.Run("interop/check_detectron2_export.py", dir.File("r18.pkl"), dir.File("r18.pth"));
        Assert.Equal($"ok {weights.Count}", output.Trim());
    }

    [Fact]
    public void Save_WritesConfigSnippetBesideWeights_WithTorchvisionInputConvention()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();

        string configPath = Detectron2Export.Save(ResNetTrunk.Resnet18(seed: 3).state_dict(), dir.File("r18.pkl"));

        Assert.Equal(dir.File("r18.yaml"), configPath);
        string[] lines = File.ReadAllLines(configPath).Select(l => l.Trim()).ToArray();
        Assert.Contains("WEIGHTS: \"r18.pkl\"", lines);
        Assert.Contains("PIXEL_MEAN: [123.675, 116.280, 103.530]", lines);
        Assert.Contains("PIXEL_STD: [58.395, 57.120, 57.375]", lines);
        Assert.Contains("DEPTH: 18", lines);
        Assert.Contains("STRIDE_IN_1X1: False", lines);
        Assert.Contains("RES2_OUT_CHANNELS: 64", lines);   // detectron2 requires it for R18/R34
        Assert.Contains("FORMAT: \"RGB\"", lines);
    }

    [Theory]
    [InlineData("conv1.weight", "stem.conv1.weight")]
    [InlineData("bn1.running_var", "stem.conv1.norm.running_var")]
    [InlineData("layer1.0.bn3.weight", "res2.0.conv3.norm.weight")]
    [InlineData("layer4.0.downsample.0.weight", "res5.0.shortcut.weight")]
    [InlineData("layer2.0.downsample.1.num_batches_tracked", "res3.0.shortcut.norm.num_batches_tracked")]
    public void KeyFor_FollowsConverterScript(string torchvisionKey, string detectron2Key) =>
        Assert.Equal(detectron2Key, Detectron2Export.KeyFor(torchvisionKey));
}
