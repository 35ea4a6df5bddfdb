using Scrl.Core.Interop;
using TorchSharp;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Interop;

public class ResNetLayoutTests
{
    [Theory]
    [InlineData(18)]
    [InlineData(34)]
    [InlineData(50)]
    [InlineData(101)]
    [InlineData(152)]
    public void BackboneKeys_EqualTorchvisionStateDictMinusFc_InOrder(int depth)
    {
        using var scope = NewDisposeScope();
        using var model = depth switch
        {
            18 => torchvision.models.resnet18(),
            34 => torchvision.models.resnet34(),
            50 => torchvision.models.resnet50(),
            101 => torchvision.models.resnet101(),
            _ => torchvision.models.resnet152(),
        };
        // TorchSharp lists parameters before buffers; torchvision interleaves them per module.
        var torchvisionKeys = model.state_dict().Keys.Where(k => !k.StartsWith("fc.", StringComparison.Ordinal)).ToHashSet();

        var layout = ResNetLayout.Match(torchvisionKeys, $"resnet{depth}");

        Assert.Equal(depth, layout.Depth);
        Assert.Equal(torchvisionKeys.Order(), layout.BackboneKeys().Order());
        Assert.Equal(layout.BackboneKeys().Count, layout.BackboneKeys().Distinct().Count());
    }
}
