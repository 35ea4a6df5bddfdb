using Scrl.Core.Interop;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Interop;

public class BackboneLoadTests
{
    [Fact]
    public void Into_MatchingWeights_CopiesEveryParameterAndBuffer()
    {
        using var scope = NewDisposeScope();
        var source = ResNetTrunk.Resnet18(seed: 1).state_dict();
        var target = ResNetTrunk.Resnet18(seed: 2);

        BackboneLoad.Into(target, source);

        TensorDicts.AssertIdentical(source.ToDictionary(e => e.Key, e => e.Value.detach()),
                                    target.state_dict().ToDictionary(e => e.Key, e => e.Value.detach()));
    }

    [Fact]
    public void Into_MissingUnexpectedAndMisshapen_ListsAllAndCopiesNothing()
    {
        using var scope = NewDisposeScope();
        var weights = ResNetTrunk.Resnet18(seed: 1).state_dict();
        weights.Remove("conv1.weight");
        weights["projector.net.0.weight"] = zeros(4, 512);
        weights["layer2.0.bn1.bias"] = zeros(7);
        var target = ResNetTrunk.Resnet18(seed: 2);
        var before = target.state_dict()["layer1.0.conv1.weight"].clone();

        var error = Assert.Throws<CheckpointMismatchException>(() => BackboneLoad.Into(target, weights));

        Assert.Equal(["conv1.weight"], error.Missing);
        Assert.Equal(["projector.net.0.weight"], error.Unexpected);
        var mismatch = Assert.Single(error.ShapeMismatches);
        Assert.Equal("layer2.0.bn1.bias: checkpoint [7] vs module [128]", mismatch);
        foreach (string item in new[] { "conv1.weight", "projector.net.0.weight", "layer2.0.bn1.bias" })
            Assert.Contains(item, error.Message);
        Assert.True(before.eq(target.state_dict()["layer1.0.conv1.weight"]).all().item<bool>(), "a failed load must leave the module untouched");
    }
}
