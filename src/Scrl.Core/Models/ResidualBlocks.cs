using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Scrl.Core.Models;

// Shapes: N images, C input channels, P planes, H x W input size, s stride.

/// <summary>torchvision's BasicBlock (ResNet-18/34): two 3×3 convolutions and the identity or a 1×1 projection.</summary>
/// <remarks>Keys: conv1.*, bn1.*, conv2.*, bn2.*, downsample.0.*, downsample.1.*.</remarks>
internal sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    public const long Expansion = 1;

    // Field names are the state-dict keys: never rename.
    private readonly Conv2d conv1;
    private readonly nn.Module<Tensor, Tensor> bn1;
    private readonly Conv2d conv2;
    private readonly nn.Module<Tensor, Tensor> bn2;
    private readonly Sequential? downsample;

    public BasicBlock(long inChannels, long planes, long stride, Func<long, nn.Module<Tensor, Tensor>> normLayer) : base(nameof(BasicBlock))
    {
        conv1 = nn.Conv2d(inChannels, planes, 3, stride: stride, padding: 1, bias: false);
        bn1 = normLayer(planes);
        conv2 = nn.Conv2d(planes, planes, 3, padding: 1, bias: false);
        bn2 = normLayer(planes);
        downsample = ResidualBlocks.Projection(inChannels, planes * Expansion, stride, normLayer);
        RegisterComponents();
    }

    /// <param name="x">[N, C, H, W].</param>
    /// <returns>[N, P, H/s, W/s].</returns>
    /// <remarks>Intermediates go to the caller's dispose scope: ResNetBackbone runs each block in a scope of its own.</remarks>
    public override Tensor forward(Tensor x)
    {
        var y = bn2.call(conv2.call(bn1.call(conv1.call(x)).relu_()));
        var identity = downsample?.call(x) ?? x;
        return y.add_(identity).relu_();
    }
}

/// <summary>torchvision's Bottleneck (ResNet-50/101, "v1.5": the stride on the 3×3): 1×1 reduce, 3×3, 1×1 expand.</summary>
/// <remarks>Keys: conv1.*, bn1.*, conv2.*, bn2.*, conv3.*, bn3.*, downsample.0.*, downsample.1.*.</remarks>
internal sealed class Bottleneck : nn.Module<Tensor, Tensor>
{
    public const long Expansion = 4;

    // Field names are the state-dict keys: never rename.
    private readonly PointwiseConv2d conv1;
    private readonly nn.Module<Tensor, Tensor> bn1;
    private readonly Conv2d conv2;
    private readonly nn.Module<Tensor, Tensor> bn2;
    private readonly PointwiseConv2d conv3;
    private readonly nn.Module<Tensor, Tensor> bn3;
    private readonly Sequential? downsample;

    public Bottleneck(long inChannels, long planes, long stride, Func<long, nn.Module<Tensor, Tensor>> normLayer) : base(nameof(Bottleneck))
    {
        conv1 = new PointwiseConv2d(inChannels, planes);
        bn1 = normLayer(planes);
        conv2 = nn.Conv2d(planes, planes, 3, stride: stride, padding: 1, bias: false);
        bn2 = normLayer(planes);
        conv3 = new PointwiseConv2d(planes, planes * Expansion);
        bn3 = normLayer(planes * Expansion);
        downsample = ResidualBlocks.Projection(inChannels, planes * Expansion, stride, normLayer);
        RegisterComponents();
    }

    /// <param name="x">[N, C, H, W].</param>
    /// <returns>[N, 4P, H/s, W/s].</returns>
    /// <remarks>Intermediates go to the caller's dispose scope: ResNetBackbone runs each block in a scope of its own.</remarks>
    public override Tensor forward(Tensor x)
    {
        var y = bn1.call(conv1.call(x)).relu_();
        y = bn2.call(conv2.call(y)).relu_();
        y = bn3.call(conv3.call(y));
        var identity = downsample?.call(x) ?? x;
        return y.add_(identity).relu_();
    }
}

/// <summary>What the two residual blocks share: torchvision's shortcut projection and its layer builder.</summary>
internal static class ResidualBlocks
{
    /// <returns>Sequential(1×1 conv with stride, norm) where the block changes shape, as torchvision's _make_layer
    /// builds it; null where the shortcut is the identity.</returns>
    public static Sequential? Projection(long inChannels, long outChannels, long stride, Func<long, nn.Module<Tensor, Tensor>> normLayer) =>
        stride == 1 && inChannels == outChannels
            ? null
            : nn.Sequential(new PointwiseConv2d(inChannels, outChannels, stride), normLayer(outChannels));
}
