using Scrl.Core.Models;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scrl.Core.Tests.Models;

public sealed class PointwiseConv2dTests
{
    [Theory]
    [InlineData(256L, 1024L, 1L, false, false)]   // ResNet-50 layer3 conv3: forward pair
    [InlineData(1024L, 256L, 1L, true, false)]    // FPN lateral: backward pair
    [InlineData(1024L, 2048L, 2L, false, true)]   // layer4 downsample, channels-last
    [InlineData(512L, 1024L, 2L, false, false)]   // layer3 downsample, strided NCHW
    [InlineData(64L, 256L, 1L, true, true)]       // a pair oneDNN plans: no extra filters
    public void ForwardAndGradients_EqualConv2dInFloat64(long inChannels, long outChannels, long stride, bool hasBias, bool channelsLast)
    {
        using var scope = NewDisposeScope();
        using var conv = new PointwiseConv2d(inChannels, outChannels, stride, hasBias);
        var input = randn(2, inChannels, 9, 9);                                       // [N, C, H, W]
        if (channelsLast) input = input.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
        var x = input.clone().requires_grad_();
        var outputGrad = randn(2, outChannels, (9 + stride - 1) / stride, (9 + stride - 1) / stride, dtype: float64);

        var y = conv.call(x);                                                          // [N, O, H', W']
        y.backward([outputGrad.to(float32)]);

        var x64 = input.to(float64).requires_grad_();
        var w64 = conv.Weight.detach().to(float64).requires_grad_();
        var b64 = conv.Bias?.detach().to(float64).requires_grad_();
        var expected = F.conv2d(x64, w64, b64, strides: [stride, stride]);
        expected.backward([outputGrad]);

        Assert.Equal(expected.shape, y.shape);
        AssertClose(expected, y, "output");
        AssertClose(x64.grad!, x.grad!, "input gradient");
        AssertClose(w64.grad!, conv.Weight.grad!, "weight gradient");
        if (b64 is not null) AssertClose(b64.grad!, conv.Bias!.grad!, "bias gradient");
    }

    [Fact]
    public void StateDict_HasConv2dKeysAndShapes()
    {
        using var conv = new PointwiseConv2d(512, 2048, stride: 2, hasBias: true);

        var shapes = conv.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);

        Assert.Equal(new[] { "bias", "weight" }, shapes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new long[] { 2048, 512, 1, 1 }, shapes["weight"]);
        Assert.Equal(new long[] { 2048 }, shapes["bias"]);
    }

    [Theory]
    [InlineData(256L, 1024L, true)]
    [InlineData(1024L, 256L, true)]
    [InlineData(2048L, 1024L, true)]
    [InlineData(1024L, 1024L, false)]
    [InlineData(2048L, 256L, false)]
    [InlineData(256L, 512L, false)]
    public void NeedsExtraFilters_NamesOneDnnsPairsInBothDirections(long inChannels, long outChannels, bool expected) =>
        Assert.Equal(expected, PointwiseConv2d.NeedsExtraFilters(inChannels, outChannels));

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        double error = (actual.to(float64) - expected).abs().max().item<double>();
        double scale = expected.abs().max().item<double>();
        Assert.True(error <= 1e-5 * scale, $"{what}: max error {error:E2} against max |value| {scale:E2}");
    }
}
