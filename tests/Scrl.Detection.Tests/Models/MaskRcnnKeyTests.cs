using Scrl.Detection.Backbones;
using Scrl.Detection.Tests.Support;
using Scrl.Detection.Transform;

namespace Scrl.Detection.Tests.Models;

public class MaskRcnnKeyTests
{
    /// <summary>"tag name d0,d1,..." lines exported by make_maskrcnn.py keys.</summary>
    private static Dictionary<string, string> GoldenKeys(string tag) =>
        File.ReadAllLines(GoldenFiles.PathOf("maskrcnn/state_dict_keys.txt"))
            .Select(line => line.Split(' '))
            .Where(parts => parts[0] == tag)
            .ToDictionary(parts => parts[1], parts => parts.Length > 2 ? parts[2] : "");

    [Theory]
    [InlineData(BackboneNorm.BatchNorm, "batchnorm")]        // maskrcnn_resnet50_fpn(weights=None, weights_backbone=None)
    [InlineData(BackboneNorm.FrozenBatchNorm, "frozen")]     // the fine-tuning configuration
    public void MaskRcnn_StateDictKeys_MatchTorchvision(BackboneNorm norm, string tag)
    {
        var expected = GoldenKeys(tag);
        using var model = MaskRcnn.FromOptions(new MaskRcnnOptions { Backbone = new BackboneOptions { Norm = norm } });

        var actual = model.state_dict().ToDictionary(kv => kv.Key, kv => string.Join(",", kv.Value.shape));

        Assert.Contains("roi_heads.mask_predictor.mask_fcn_logits.weight", expected.Keys);
        Assert.Empty(expected.Keys.Except(actual.Keys).Order());
        Assert.Empty(actual.Keys.Except(expected.Keys).Order());
        var mismatched = expected.Where(kv => actual[kv.Key] != kv.Value).Select(kv => $"{kv.Key}: {kv.Value} vs {actual[kv.Key]}").ToList();
        Assert.Empty(mismatched);
    }

    [Fact]
    public void DetectorFactory_MaskRcnnKind_BuildsTorchvisionsFineTuningMaskRcnn()
    {
        var expected = GoldenKeys("frozen");

        using var model = DetectorFactory.Create(DetectorKind.MaskRcnn, 91, new BackboneOptions(), new TransformOptions());

        Assert.Equal(DetectorKind.MaskRcnn, model.Kind);
        Assert.Equal(expected.Keys.Order(), model.state_dict().Keys.Order());
    }
}
