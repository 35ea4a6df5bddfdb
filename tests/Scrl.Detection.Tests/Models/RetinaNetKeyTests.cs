using Scrl.Core.Models;
using Scrl.Detection.Backbones;
using Scrl.Detection.Tests.Support;
using static TorchSharp.torch;

namespace Scrl.Detection.Tests.Models;

public class RetinaNetKeyTests
{
    /// <summary>"tag name d0,d1,..." lines exported by make_retinanet.py keys.</summary>
    private static Dictionary<string, string> GoldenKeys(string tag) =>
        File.ReadAllLines(GoldenFiles.PathOf("retinanet/state_dict_keys.txt"))
            .Select(line => line.Split(' '))
            .Where(parts => parts[0] == tag)
            .ToDictionary(parts => parts[1], parts => parts.Length > 2 ? parts[2] : "");

    [Theory]
    [InlineData(BackboneNorm.BatchNorm, "batchnorm")]        // retinanet_resnet50_fpn(weights=None, weights_backbone=None)
    [InlineData(BackboneNorm.FrozenBatchNorm, "frozen")]     // the fine-tuning configuration
    public void RetinaNet_StateDictKeys_MatchTorchvision(BackboneNorm norm, string tag)
    {
        var expected = GoldenKeys(tag);
        using var model = RetinaNet.FromOptions(new RetinaNetOptions { Backbone = RetinaNetOptions.BackboneLayout with { Norm = norm } });

        var actual = model.state_dict().ToDictionary(kv => kv.Key, kv => string.Join(",", kv.Value.shape));

        Assert.Empty(expected.Keys.Except(actual.Keys).Order());
        Assert.Empty(actual.Keys.Except(expected.Keys).Order());
        var mismatched = expected.Where(kv => actual[kv.Key] != kv.Value).Select(kv => $"{kv.Key}: {kv.Value} vs {actual[kv.Key]}").ToList();
        Assert.Empty(mismatched);
    }

    [Theory]
    [InlineData(FpnExtraLevels.MaxPool, new[] { 1, 2, 3, 4 }, new[] { "0", "1", "2", "3", "pool" }, new[] { 4, 8, 16, 32, 64 })]
    [InlineData(FpnExtraLevels.P6P7, new[] { 2, 3, 4 }, new[] { "0", "1", "2", "p6", "p7" }, new[] { 8, 16, 32, 64, 128 })]
    public void BackboneWithFpn_OutputShapes_DescribeTheLevelsForwardReturns(FpnExtraLevels extra, int[] returned, string[] names, int[] strides)
    {
        using var backbone = BackboneWithFpn.FromOptions(new BackboneOptions
        {
            Variant = ResNetVariant.ResNet18, FpnChannels = 16, ReturnedLayers = returned, ExtraLevels = extra,
        });
        backbone.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        var levels = backbone.call(zeros(1, 3, 256, 320));

        Assert.Equal(names, backbone.OutputShapes.Keys.ToArray());
        Assert.Equal(strides, backbone.OutputShapes.Values.Select(s => s.Stride).ToArray());
        Assert.Equal(names, levels.Keys.ToArray());
        foreach (var (name, level) in levels.Select(kv => (kv.Key, kv.Value)))
        {
            int stride = backbone.OutputShapes[name].Stride;
            Assert.Equal([1, 16, (256 + stride - 1) / stride, (320 + stride - 1) / stride], level.shape);
        }
    }

    [Fact]
    public void BackboneWithFpn_ReturnedLayersOutOfOrder_Throws()
    {
        Assert.Throws<ArgumentException>(() => BackboneWithFpn.FromOptions(new BackboneOptions { Variant = ResNetVariant.ResNet18, ReturnedLayers = [3, 2] }));
        Assert.Throws<ArgumentException>(() => BackboneWithFpn.FromOptions(new BackboneOptions { Variant = ResNetVariant.ResNet18, ReturnedLayers = [0, 1] }));
    }
}
