using Scrl.Core.Interop;
using Scrl.Core.Models;
using Scrl.Detection.Backbones;
using Scrl.Detection.Transform;
using TorchSharp;
using static TorchSharp.torch;

namespace Scrl.Detection.Tests.Models;

public class RetinaNetCheckpointTests
{
    private static readonly TransformOptions Transform = new() { MinSize = [96], MaxSize = 128 };

    [Theory]
    [InlineData(ResNetVariant.ResNet50, BackboneNorm.FrozenBatchNorm, 91)]
    [InlineData(ResNetVariant.ResNet18, BackboneNorm.BatchNorm, 21)]
    [InlineData(ResNetVariant.ResNet18, BackboneNorm.GroupNorm, 2)]
    public void InferOptions_StateDict_RebuildsSameShapesAndLoadsStrictly(ResNetVariant variant, BackboneNorm norm, int numClasses)
    {
        using var model = RetinaNet.FromOptions(new RetinaNetOptions
        {
            NumClasses = numClasses,
            Backbone = RetinaNetOptions.BackboneLayout with { Variant = variant, Norm = norm },
            Transform = Transform,
        });
        var weights = model.state_dict();

        var options = RetinaNetCheckpoint.InferOptions(weights, Transform);
        using var rebuilt = RetinaNet.FromOptions(options);

        Assert.Equal(numClasses, options.NumClasses);
        Assert.Equal((variant, norm), (options.Backbone.Variant, options.Backbone.Norm));
        Assert.Equal([2, 3, 4], options.Backbone.ReturnedLayers);
        Assert.Equal(FpnExtraLevels.P6P7, options.Backbone.ExtraLevels);
        var shapes = rebuilt.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        Assert.Equal(weights.Keys.Order(), shapes.Keys.Order());
        Assert.All(weights, kv => Assert.Equal(kv.Value.shape, shapes[kv.Key]));
        BackboneLoad.Into(rebuilt, weights);
    }

    [Fact]
    public void InferOptions_ClassLogitsNotAMultipleOfTheAnchors_Throws()
    {
        var weights = new Dictionary<string, Tensor> { ["head.classification_head.cls_logits.weight"] = zeros(10, 4, 3, 3) };

        var error = Assert.Throws<CheckpointMismatchException>(() => RetinaNetCheckpoint.InferOptions(weights, Transform));

        Assert.Contains("not a multiple of 9", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A CPU proxy for device placement: every tensor the detector makes (anchors, FPN extra levels, head,
    /// focal-loss targets) must follow the weights' dtype, as they must follow their device.</summary>
    [Fact]
    public void ToFloat64_WholeDetector_ConvertsAndRunsInFloat64()
    {
        using var model = RetinaNet.FromOptions(new RetinaNetOptions
        {
            NumClasses = 5,
            Backbone = RetinaNetOptions.BackboneLayout with { Variant = ResNetVariant.ResNet18, Norm = BackboneNorm.FrozenBatchNorm, FpnChannels = 32 },
            Transform = Transform,
        });
        model.to(float64);
        using var scope = NewDisposeScope();
        Tensor[] images = [rand(3, 90, 120, float64), rand(3, 100, 80, float64)];
        DetectionTarget[] targets =
        [
            new(tensor(new[,] { { 10.0, 12, 60, 70 } }, float64), tensor(new long[] { 3 })),
            new(zeros(0, 4, float64), zeros(0, ScalarType.Int64)),
        ];

        Assert.All(model.state_dict(), kv => Assert.True(kv.Value.dtype is ScalarType.Float64 or ScalarType.Int64, kv.Key));
        model.train();
        var losses = model.Losses(images, targets, generator: null);
        losses.Total().backward();
        model.eval();
        IReadOnlyList<Detections> detections;
        using (no_grad()) detections = model.call(images);

        Assert.All(losses.Names, name => Assert.Equal(ScalarType.Float64, losses[name].dtype));
        Assert.All(losses.Names, name => Assert.True(double.IsFinite(losses[name].item<double>()), name));
        Assert.All(model.parameters().Where(p => p.requires_grad), p => Assert.Equal(ScalarType.Float64, p.grad!.dtype));
        Assert.All(detections, d => Assert.Equal(ScalarType.Float64, d.Boxes.dtype));
        Assert.All(detections, d => Assert.Equal(ScalarType.Float64, d.Scores.dtype));
    }
}
