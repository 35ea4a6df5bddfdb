using Scrl.Detection.RoiHeads;
using Scrl.Detection.Tests.Support;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Scrl.Detection.Tests.Models;

/// <summary>Keypoint R-CNN training on this CPU: the loss without visible keypoints, and gradients oneDNN cannot poison.</summary>
public sealed class KeypointRcnnTrainingTests
{
    [Fact]
    public void Losses_TargetsWithoutVisibleKeypoints_GiveFiniteZeroKeypointLossThatStillBackpropagates()
    {
        using var model = KeypointRcnn.FromOptions(TinyKeypointRcnn.Options);
        model.train();
        using var scope = NewDisposeScope();
        var target = TinyKeypointRcnn.Target();
        var invisible = target with { Keypoints = target.Keypoints! * tensor(new[] { 1f, 1f, 0f }) };   // v = 0 everywhere

        var losses = model.Losses([TinyKeypointRcnn.Image(1), TinyKeypointRcnn.Image(2)], [invisible, invisible], new Generator(5));
        losses.Total().backward();

        var keypoint = losses[KeypointBranch.LossName];
        Assert.Equal(0.0, keypoint.item<float>());
        Assert.True(keypoint.requires_grad, "as torchvision's logits.sum() * 0, the zero stays in the graph");
        var predictorGrad = model.named_parameters().Single(p => p.name == KeypointRcnnCheckpoint.KeypointLogitsKey).parameter.grad;
        Assert.NotNull(predictorGrad);
        Assert.Equal(0.0, predictorGrad!.abs().max().item<float>());
        Assert.All(losses.Names, name => Assert.True(float.IsFinite(losses[name].item<float>()), name));
    }

    [Fact]
    public void Losses_ImagesWithoutInstances_GiveZeroKeypointLossFromAnEmptyBatch()
    {
        using var model = KeypointRcnn.FromOptions(TinyKeypointRcnn.Options);
        model.train();
        using var scope = NewDisposeScope();
        var empty = new DetectionTarget(zeros(0, 4), zeros(0, ScalarType.Int64), Keypoints: zeros(0, TinyKeypointRcnn.NumKeypoints, 3));

        var losses = model.Losses([TinyKeypointRcnn.Image(1), TinyKeypointRcnn.Image(2)], [empty, empty], new Generator(5));
        losses.Total().backward();

        Assert.Equal(0.0, losses[KeypointBranch.LossName].item<float>());
        Assert.All(losses.Names, name => Assert.True(float.IsFinite(losses[name].item<float>()), name));
    }

    [Fact]
    public void Losses_VisibleKeypoints_TrainTheWholeModelWithFiniteGradients()
    {
        using var model = KeypointRcnn.FromOptions(TinyKeypointRcnn.Options);
        model.train();
        using var scope = NewDisposeScope();
        for (int j = 0; j < 8; j++) full(new long[] { 4, 64, 32, 32 }, float.NaN).Dispose();   // leave NaN in freed memory

        var losses = model.Losses([TinyKeypointRcnn.Image(1), TinyKeypointRcnn.Image(2)], [TinyKeypointRcnn.Target(), TinyKeypointRcnn.Target()], new Generator(5));
        losses.Total().backward();

        Assert.True(losses[KeypointBranch.LossName].item<float>() > 0, "visible keypoints inside their boxes give a positive loss");
        var bad = model.named_parameters().Where(p => p.parameter.grad is { } g && !isfinite(g).all().item<bool>()).Select(p => p.name).ToList();
        Assert.Empty(bad);
        Assert.NotEqual(0.0, model.named_parameters().Single(p => p.name == "roi_heads.keypoint_head.0.weight").parameter.grad!.abs().max().item<float>());
    }

    /// <summary>
    /// torchvision's branch at full width: each layer's backward (the 3x3 convs 256→512 and 512→512, the transposed
    /// conv 512→17 with the upsampling, whose plain ConvTranspose2d returned input gradients 30% off on Zen 5) equals
    /// a float64 reference, layer by layer since ReLU masks may differ between precisions; and the whole branch's
    /// gradients stay finite when freed memory holds NaN.
    /// </summary>
    [Fact]
    public void KeypointBranch_FullWidthBackward_MatchesFloat64AndStaysFinite()
    {
        using var head = new KeypointRcnnHeads(256, new KeypointHeadOptions().Layers);
        using var predictor = new KeypointRcnnPredictor(512, 17);
        var convs = head.named_children().Select(c => c.module).OfType<Conv2d>().ToList();
        Assert.Equal(8, convs.Count);
        AssertBackwardMatchesFloat64(convs[0], [3, 256, 14, 14], "keypoint_head.0");
        AssertBackwardMatchesFloat64(convs[1], [3, 512, 14, 14], "keypoint_head.2");
        AssertBackwardMatchesFloat64(predictor, [3, 512, 14, 14], "keypoint_predictor");

        for (int attempt = 0; attempt < 3; attempt++)
        {
            using var scope = NewDisposeScope();
            for (int j = 0; j < 8; j++) full(new long[] { 4, 64, 28, 28 }, float.NaN).Dispose();   // leave NaN in freed memory
            var x = randn(3, 256, 14, 14).requires_grad_();                                          // [R, C, S, S]
            predictor.call(head.call(x)).backward([randn(3, 17, 56, 56)]);

            Assert.True(isfinite(x.grad!).all().item<bool>(), $"attempt {attempt}: non-finite input gradient");
            var bad = head.named_parameters().Concat(predictor.named_parameters()).Where(p => !isfinite(p.parameter.grad!).all().item<bool>()).Select(p => p.name).ToList();
            Assert.Empty(bad);
            head.zero_grad();
            predictor.zero_grad();
        }
    }

    /// <summary>One linear layer's output and gradients in float32 against the same layer in float64.</summary>
    private static void AssertBackwardMatchesFloat64(nn.Module<Tensor, Tensor> layer, long[] inputShape, string what)
    {
        using var scope = NewDisposeScope();
        var input = randn(inputShape);
        var x = input.clone().requires_grad_();
        var y = layer.call(x);
        var outputGrad = randn(y.shape, float64);
        y.backward([outputGrad.to(float32)]);
        var grads = layer.parameters().Select(p => p.grad!.clone()).ToList();
        layer.zero_grad();

        layer.to(float64);
        var x64 = input.to(float64).requires_grad_();
        var y64 = layer.call(x64);
        y64.backward([outputGrad]);
        AssertClose(y64, y, $"{what} output");
        AssertClose(x64.grad!, x.grad!, $"{what} input gradient");
        foreach (var (p64, g) in layer.parameters().Zip(grads)) AssertClose(p64.grad!, g, $"{what} parameter gradient");
        layer.zero_grad();
        layer.to(float32);
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        double error = (actual.to(float64) - expected).abs().max().item<double>();
        double scale = expected.abs().max().item<double>();
        Assert.True(error <= 1e-5 * scale, $"{what}: max error {error:E2} against max |value| {scale:E2}");
    }
}
