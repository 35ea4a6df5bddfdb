using Scrl.Detection.Backbones;
using Scrl.Detection.Tests.Support;

namespace Scrl.Detection.Tests.Models;

public class KeypointRcnnKeyTests
{
    /// <summary>"tag name d0,d1,..." lines exported by make_keypointrcnn.py keys.</summary>
    private static Dictionary<string, string> GoldenKeys(string tag) =>
        File.ReadAllLines(GoldenFiles.PathOf("keypointrcnn/state_dict_keys.txt"))
            .Select(line => line.Split(' '))
            .Where(parts => parts[0] == tag)
            .ToDictionary(parts => parts[1], parts => parts.Length > 2 ? parts[2] : "");

    [Theory]
    [InlineData(BackboneNorm.BatchNorm, "batchnorm")]        // keypointrcnn_resnet50_fpn(weights=None, weights_backbone=None)
    [InlineData(BackboneNorm.FrozenBatchNorm, "frozen")]     // the fine-tuning configuration
    public void KeypointRcnn_StateDictKeys_MatchTorchvision(BackboneNorm norm, string tag)
    {
        var expected = GoldenKeys(tag);
        using var model = KeypointRcnn.FromOptions(new KeypointRcnnOptions { Backbone = new BackboneOptions { Norm = norm } });

        var actual = model.state_dict().ToDictionary(kv => kv.Key, kv => string.Join(",", kv.Value.shape));

        Assert.Empty(expected.Keys.Except(actual.Keys).Order());
        Assert.Empty(actual.Keys.Except(expected.Keys).Order());
        var mismatched = expected.Where(kv => actual[kv.Key] != kv.Value).Select(kv => $"{kv.Key}: {kv.Value} vs {actual[kv.Key]}").ToList();
        Assert.Empty(mismatched);
    }

    [Fact]
    public void KeypointRcnnOptions_Defaults_AreKeypointrcnnResnet50Fpn()
    {
        var options = new KeypointRcnnOptions();

        Assert.Equal(2, options.NumClasses);
        Assert.Equal(17, options.KeypointHead.NumKeypoints);
        Assert.Equal([640, 672, 704, 736, 768, 800], options.Transform.MinSize);
        Assert.Equal(1333, options.Transform.MaxSize);
        Assert.Equal((14, 2), (options.KeypointHead.PoolSize, options.KeypointHead.SamplingRatio));
        Assert.Equal(Enumerable.Repeat(512, 8), options.KeypointHead.Layers);
    }
}
