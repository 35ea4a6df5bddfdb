using Scrl.Core.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scrl.Core.Tests.Models;

public sealed class BlockAlignedConv2dTests
{
    [Theory]
    [InlineData(32L, 36L, 3L)]     // RetinaNet's box deltas on a 32-channel FPN
    [InlineData(256L, 12L, 3L)]
    [InlineData(256L, 819L, 3L)]   // RetinaNet's COCO logits (9 x 91)
    [InlineData(64L, 48L, 1L)]     // already a multiple of 16: a plain convolution
    public void ForwardAndGradients_EqualConv2dInFloat64(long inChannels, long outChannels, long kernel)
    {
        using var scope = NewDisposeScope();
        using var conv = new BlockAlignedConv2d(inChannels, outChannels, kernel);
        var input = randn(2, inChannels, 7, 6);                                       // [N, C, H, W]
        var x = input.clone().requires_grad_();
        var outputGrad = randn(2, outChannels, 7, 6, dtype: float64);

        var y = conv.call(x);
        y.backward([outputGrad.to(float32)]);

        var x64 = input.to(float64).requires_grad_();
        var w64 = conv.Weight.detach().to(float64).requires_grad_();
        var b64 = conv.Bias.detach().to(float64).requires_grad_();
        var expected = F.conv2d(x64, w64, b64, padding: [kernel / 2, kernel / 2]);
        expected.backward([outputGrad]);

        Assert.Equal(expected.shape, y.shape);
        AssertClose(expected, y, "output");
        AssertClose(x64.grad!, x.grad!, "input gradient");
        AssertClose(w64.grad!, conv.Weight.grad!, "weight gradient");
        AssertClose(b64.grad!, conv.Bias.grad!, "bias gradient");
    }

    /// <summary>
    /// oneDNN 3.7's backward-data reads the unzeroed channel padding of a reordered gradient: with NaN left in freed
    /// memory, a plain 3x3 conv 32→36 returned NaN input gradients in 6 of 6 tries (14 of 20 in another run).
    /// </summary>
    [Theory]
    [InlineData(32L, 36L)]
    [InlineData(16L, 12L)]
    [InlineData(256L, 12L)]
    public void InputGradient_StaysFinite_WhenFreedMemoryHoldsNaN(long inChannels, long outChannels)
    {
        using var conv = new BlockAlignedConv2d(inChannels, outChannels, kernelSize: 3);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            using var scope = NewDisposeScope();
            for (int j = 0; j < 8; j++) full(new long[] { 4, 64, 14, 12 }, float.NaN).Dispose();
            var x = randn(4, inChannels, 14, 12).requires_grad_();
            (conv.call(x) * randn(4, outChannels, 14, 12)).sum().backward();
            Assert.True(isfinite(x.grad!).all().item<bool>(), $"attempt {attempt}: non-finite input gradient");
            conv.zero_grad();
        }
    }

    [Fact]
    public void StateDict_HasConv2dKeysAndShapes()
    {
        using var conv = new BlockAlignedConv2d(256, 36, kernelSize: 3);

        var shapes = conv.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);

        Assert.Equal(new[] { "bias", "weight" }, shapes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new long[] { 36, 256, 3, 3 }, shapes["weight"]);
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        double error = (actual.to(float64) - expected).abs().max().item<double>();
        double scale = expected.abs().max().item<double>();
        Assert.True(error <= 1e-5 * scale, $"{what}: max error {error:E2} against max |value| {scale:E2}");
    }
}
