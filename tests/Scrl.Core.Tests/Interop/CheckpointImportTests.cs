using System.Collections;
using Scrl.Core.Interop;
using Scrl.Core.Tests.Support;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Interop;

public class CheckpointImportTests
{
    [Fact]
    public void LoadBackbone_PythonWrittenCheckpoints_AllGiveTheTorchvisionTrunk()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        PythonOracle.Run("interop/make_scrl_checkpoints.py", dir.Path);
        var expected = TensorDicts.Load(dir.File("expected.pt"));

        foreach (string file in new[] { "scrl.pth", "scrl_ddp.pth", "torchvision.pth" })
        {
            var imported = CheckpointImport.LoadBackbone(dir.File(file));
            TensorDicts.AssertIdentical(expected, imported);
            BackboneLoad.Into(ResNetTrunk.Resnet18(seed: 0), imported);   // and it fits the trunk strictly
        }
    }

    [Fact]
    public void LoadBackbone_OwnTorchvisionExport_RoundTripsExactly()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        var weights = ResNetTrunk.Resnet18(seed: 5).state_dict();
        TorchvisionExport.Save(weights, dir.File("r18.pth"));

        var imported = CheckpointImport.LoadBackbone(dir.File("r18.pth"));

        TensorDicts.AssertIdentical(weights.ToDictionary(e => e.Key, e => e.Value.detach()), imported);
    }

    [Fact]
    public void LoadBackbone_UnknownLayout_NamesFileAndEntries()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        string path = dir.File("other.pth");
        using (var stream = File.Create(path))
            PyTorchPickler.PickleStateDict(stream, new Hashtable { ["model"] = new Hashtable { ["w"] = zeros(2) }, ["step"] = 4 });

        var error = Assert.Throws<InvalidDataException>(() => CheckpointImport.LoadBackbone(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("model (", error.Message);
        Assert.Contains("step (", error.Message);
    }

    [Fact]
    public void LoadStateDict_WholeModel_KeepsEveryKey_AndRefusesMoreThanTensors()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        string model = dir.File("detector.pth"), nested = dir.File("nested.pth");
        using (var stream = File.Create(model))
            PyTorchPickler.PickleStateDict(stream, new Hashtable { ["head.cls_logits.weight"] = ones(3, 2), ["fc.bias"] = zeros(3) });
        using (var stream = File.Create(nested))
            PyTorchPickler.PickleStateDict(stream, new Hashtable { ["model"] = new Hashtable { ["w"] = zeros(2) } });

        var loaded = CheckpointImport.LoadStateDict(model);

        Assert.Equal(["fc.bias", "head.cls_logits.weight"], loaded.Keys.Order(StringComparer.Ordinal));
        Assert.True(loaded["head.cls_logits.weight"].eq(1).all().item<bool>());
        var error = Assert.Throws<InvalidDataException>(() => CheckpointImport.LoadStateDict(nested));
        Assert.Equal($"'{nested}' is not a state dict: it holds more than named tensors.", error.Message);
    }

    [Fact]
    public void LoadBackbone_NotATorchSaveFile_NamesFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("weights.pkl");
        File.WriteAllBytes(path, [0x80, 0x03, (byte)'}', (byte)'.']);   // a bare pickle, not torch.save's zip

        var error = Assert.Throws<InvalidDataException>(() => CheckpointImport.LoadBackbone(path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void LoadBackbone_TrunkWithMissingBlock_ListsMissingKeysAgainstClosestDepth()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        var weights = ResNetTrunk.Resnet18(seed: 2).state_dict();
        string path = dir.File("partial.pth");
        TensorDicts.Save(path, weights.Where(e => !e.Key.StartsWith("layer4.1.", StringComparison.Ordinal)).ToDictionary());

        var error = Assert.Throws<CheckpointMismatchException>(() => CheckpointImport.LoadBackbone(path));

        Assert.Contains("resnet18", error.Message);
        Assert.Contains(path, error.Message);
        Assert.Equal(weights.Keys.Where(k => k.StartsWith("layer4.1.", StringComparison.Ordinal)).Order(), error.Missing.Order());
        Assert.Empty(error.Unexpected);
    }
}
