using Scrl.Core.Interop;
using Scrl.Core.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Interop;

public class TorchvisionExportTests
{
    [Fact]
    public void Save_Resnet18_StrictLoadsInTorchvision_WithIdenticalStateAndFeatures()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        var trunk = ResNetTrunk.Resnet18(seed: 7);
        var input = randn([1, 3, 64, 64], generator: new Generator(11));
        TensorDicts.Save(dir.File("input.pt"), new Dictionary<string, Tensor> { ["input"] = input });

        var layout = TorchvisionExport.Save(trunk.state_dict(), dir.File("r18.pth"));
        PythonOracle.Run("interop/check_torchvision_export.py", dir.File("r18.pth"), dir.File("input.pt"), dir.File("out.pt"));

        Assert.Equal(18, layout.Depth);
        var fromPython = TensorDicts.Load(dir.File("out.pt"));
        var loadedByTorch = fromPython.Where(e => e.Key.StartsWith("state.", StringComparison.Ordinal))
                                      .ToDictionary(e => e.Key["state.".Length..], e => e.Value);
        TensorDicts.AssertIdentical(trunk.state_dict(), loadedByTorch);
        // Both sides in float64: in float32 this random net amplifies rounding to ~1e-3 relative, which BLAS builds differ in.
        Tensor ours;
        using (no_grad()) ours = trunk.to(float64).PooledFeatures(input.to(float64));   // [1, 512]
        Golden.AssertClose(fromPython["features"], ours, rtol: 1e-9, atol: 1e-12, what: "GAP(C5) features");
    }

    [Fact]
    public void Save_MissingAndExtraKeys_ThrowsListingBoth_AndWritesNothing()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        var weights = ResNetTrunk.Resnet18(seed: 1).state_dict();
        weights.Remove("layer3.1.bn2.running_var");
        weights["fc.weight"] = zeros(10, 512);

        var error = Assert.Throws<CheckpointMismatchException>(() => TorchvisionExport.Save(weights, dir.File("bad.pth")));

        Assert.Equal(["layer3.1.bn2.running_var"], error.Missing);
        Assert.Equal(["fc.weight"], error.Unexpected);
        Assert.Contains("layer3.1.bn2.running_var", error.Message);
        Assert.Contains("fc.weight", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }
}
