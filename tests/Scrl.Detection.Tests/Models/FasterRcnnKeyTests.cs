using Scrl.Detection.Backbones;
using Scrl.Detection.Tests.Support;

namespace Scrl.Detection.Tests.Models;

public class FasterRcnnKeyTests
{
    /// <summary>"tag name d0,d1,..." lines exported by make_fasterrcnn.py keys.</summary>
    private static Dictionary<string, string> GoldenKeys(string tag) =>
        File.ReadAllLines(GoldenFiles.PathOf("fasterrcnn/state_dict_keys.txt"))
            .Select(line => line.Split(' '))
            .Where(parts => parts[0] == tag)
            .ToDictionary(parts => parts[1], parts => parts.Length > 2 ? parts[2] : "");

    [Theory]
    [InlineData(BackboneNorm.BatchNorm, "batchnorm")]        // fasterrcnn_resnet50_fpn(weights=None, weights_backbone=None)
    [InlineData(BackboneNorm.FrozenBatchNorm, "frozen")]     // the fine-tuning configuration
    public void FasterRcnn_StateDictKeys_MatchTorchvision(BackboneNorm norm, string tag)
    {
        var expected = GoldenKeys(tag);
        using var model = FasterRcnn.FromOptions(new FasterRcnnOptions { Backbone = new BackboneOptions { Norm = norm } });

        var actual = model.state_dict().ToDictionary(kv => kv.Key, kv => string.Join(",", kv.Value.shape));

        Assert.Empty(expected.Keys.Except(actual.Keys).Order());
        Assert.Empty(actual.Keys.Except(expected.Keys).Order());
        var mismatched = expected.Where(kv => actual[kv.Key] != kv.Value).Select(kv => $"{kv.Key}: {kv.Value} vs {actual[kv.Key]}").ToList();
        Assert.Empty(mismatched);
    }

    [Fact]
    public void BackboneWithFpn_TrainableLayers3_FreezesStemAndLayer1()
    {
        using var backbone = BackboneWithFpn.FromOptions(new BackboneOptions { TrainableLayers = 3 });
        var trainable = backbone.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToList();

        Assert.DoesNotContain(trainable, n => n.StartsWith("body.conv1", StringComparison.Ordinal) || n.StartsWith("body.layer1", StringComparison.Ordinal));
        Assert.Contains(trainable, n => n.StartsWith("body.layer2", StringComparison.Ordinal));
        Assert.Contains(trainable, n => n.StartsWith("fpn.", StringComparison.Ordinal));
    }
}
