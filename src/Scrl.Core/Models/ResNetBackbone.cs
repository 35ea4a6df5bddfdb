using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Scrl.Core.Models;

/// <summary>
/// A torchvision ResNet without its classifier: stem and layer1..layer4. The official SCRL encoder is
/// <c>nn.Sequential(*list(resnet50().children())[:-1])</c>; we keep torchvision's attribute names instead so the
/// state dict is exactly torchvision's minus <c>fc.*</c> and loads into detection backbones unchanged.
/// </summary>
/// <remarks>
/// Mirrors torchvision models/resnet.py ResNet (random init, zero_init_residual=False).
/// Keys: conv1.*, bn1.*, layer1.* .. layer4.*. Shapes: N images, C channels, H x W input size.
/// </remarks>
public sealed class ResNetBackbone : nn.Module<Tensor, Tensor>
{
    /// <summary>Feature names in <see cref="OutputShapes"/> and <see cref="ForwardFeatures"/>, as torchvision's FPN backbones name layer1..layer4.</summary>
    public static readonly IReadOnlyList<string> FeatureNames = ["0", "1", "2", "3"];

    // Field names are the state-dict keys: never rename.
    private readonly Conv2d conv1;
    private readonly nn.Module<Tensor, Tensor> bn1;
    private readonly nn.Module<Tensor, Tensor> relu;
    private readonly nn.Module<Tensor, Tensor> maxpool;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;

    /// <param name="variant">Depth.</param>
    /// <param name="normLayer">Builds each normalisation layer from its channel count (torchvision's norm_layer):
    /// null for BatchNorm2d; detectors pass FrozenBatchNorm2d or GroupNorm.</param>
    public ResNetBackbone(ResNetVariant variant, Func<int, nn.Module<Tensor, Tensor>>? normLayer = null) : base(nameof(ResNetBackbone))
    {
        Variant = variant;
        Func<long, nn.Module<Tensor, Tensor>> norm = normLayer is null ? c => nn.BatchNorm2d(c) : c => normLayer((int)c);
        var (blocksPerLayer, bottleneck) = Depth(variant);
        conv1 = nn.Conv2d(3, 64, 7, stride: 2, padding: 3, bias: false);
        bn1 = norm(64);
        relu = nn.ReLU(inplace: true);
        maxpool = nn.MaxPool2d(3, stride: 2, padding: 1);
        long inChannels = 64;
        var layers = new Sequential[4];
        for (int i = 0; i < layers.Length; i++)
        {
            long planes = 64L << i, stride = i == 0 ? 1 : 2;
            layers[i] = nn.Sequential();
            for (int b = 0; b < blocksPerLayer[i]; b++)
            {
                layers[i].append(bottleneck
                    ? new Bottleneck(inChannels, planes, b == 0 ? stride : 1, norm)
                    : new BasicBlock(inChannels, planes, b == 0 ? stride : 1, norm));
                inChannels = planes * (bottleneck ? Bottleneck.Expansion : BasicBlock.Expansion);
            }
        }
        (layer1, layer2, layer3, layer4) = (layers[0], layers[1], layers[2], layers[3]);

        long expansion = bottleneck ? Bottleneck.Expansion : BasicBlock.Expansion;
        OutputChannels = 512 * expansion;
        OutputShapes = new Dictionary<string, FeatureShape>
        {
            [FeatureNames[0]] = new(64 * expansion, 4),
            [FeatureNames[1]] = new(128 * expansion, 8),
            [FeatureNames[2]] = new(256 * expansion, 16),
            [FeatureNames[3]] = new(512 * expansion, 32),
        };
        RegisterComponents();
        InitializeAsTorchvision();
    }

    public ResNetVariant Variant { get; }

    /// <summary>
    /// Whether activations are laid out channels-last (NHWC strides behind the usual NCHW shape). Values are the
    /// same up to float summation order; oneDNN's CPU convolutions run on this layout without reordering to and
    /// from their blocked format, which takes a fifth off an R50 training step on CPU. Outputs keep this layout.
    /// Off by default, as in torchvision, whose float32 results (down to top-k orders) the detectors reproduce.
    /// </summary>
    public bool ChannelsLast { get; init; }

    /// <summary>Channels of C5 (layer4): 512 for ResNet-18/34, 2048 for ResNet-50/101.</summary>
    public long OutputChannels { get; }

    /// <summary>Channels and stride of C2..C5, keyed by <see cref="FeatureNames"/>.</summary>
    public IReadOnlyDictionary<string, FeatureShape> OutputShapes { get; }

    /// <param name="x">Images [N, 3, H, W].</param>
    /// <returns>C5 (layer4 output) [N, C, H/32, W/32].</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var c2 = Stem(x);                                       // [N, C/8, H/4, W/4]
        var c5 = Layer(layer4, Layer(layer3, Layer(layer2, c2, disposeInput: true), disposeInput: true), disposeInput: true);
        return c5.MoveToOuterDisposeScope();                    // [N, C, H/32, W/32]
    }

    /// <param name="x">Images [N, 3, H, W].</param>
    /// <returns>C2..C5 keyed by <see cref="FeatureNames"/>, in that order; strides 4, 8, 16, 32.</returns>
    public OrderedDictionary<string, Tensor> ForwardFeatures(Tensor x)
    {
        using var scope = NewDisposeScope();
        var c2 = Stem(x);                                       // [N, C/8, H/4, W/4]
        var c3 = Layer(layer2, c2, disposeInput: false);        // [N, C/4, H/8, W/8]
        var c4 = Layer(layer3, c3, disposeInput: false);        // [N, C/2, H/16, W/16]
        var c5 = Layer(layer4, c4, disposeInput: false);        // [N, C, H/32, W/32]
        var features = new OrderedDictionary<string, Tensor>();
        Tensor[] levels = [c2, c3, c4, c5];
        for (int i = 0; i < levels.Length; i++)
            features.Add(FeatureNames[i], levels[i].MoveToOuterDisposeScope());
        return features;
    }

    /// <returns>layer1 output [N, C/8, H/4, W/4].</returns>
    private Tensor Stem(Tensor x)
    {
        if (x.dim() != 4 || x.shape[1] != 3)
            throw new ArgumentException($"Expected images [N, 3, H, W], got [{string.Join(", ", x.shape)}].", nameof(x));
        Tensor pooled;
        using (NewDisposeScope())
        {
            // A convolution's output follows its input's layout, so converting the images is enough.
            if (ChannelsLast) x = x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
            pooled = maxpool.call(relu.call(bn1.call(conv1.call(x)))).MoveToOuterDisposeScope();   // [N, 64, H/4, W/4]
        }
        return Layer(layer1, pooled, disposeInput: true);
    }

    /// <summary>
    /// Runs one torchvision layer block by block, each block in its own dispose scope, and drops our handle on
    /// each block's input once that block has run.
    /// </summary>
    /// <remarks>
    /// A C# handle keeps its storage alive until disposed, whereas CPython frees an intermediate as soon as its
    /// last reference goes. Without this, every activation of the pass (the no-grad target pass included, which
    /// saves nothing for backward) stayed resident until the caller's scope ended. Disposing a handle only drops
    /// our reference: what autograd saved for backward stays alive until backward has used it.
    /// </remarks>
    /// <param name="disposeInput">Whether <paramref name="x"/> is ours to dispose once the first block has read it.</param>
    private static Tensor Layer(nn.Module<Tensor, Tensor> layer, Tensor x, bool disposeInput)
    {
        foreach (var block in layer.children())
        {
            Tensor y;
            using (NewDisposeScope())
                y = ((nn.Module<Tensor, Tensor>)block).call(x).MoveToOuterDisposeScope();
            if (disposeInput && !ReferenceEquals(y, x)) x.Dispose();
            x = y;
            disposeInput = true;
        }
        return x;
    }

    private static (int[] BlocksPerLayer, bool Bottleneck) Depth(ResNetVariant variant) => variant switch
    {
        ResNetVariant.ResNet18 => ([2, 2, 2, 2], false),
        ResNetVariant.ResNet34 => ([3, 4, 6, 3], false),
        ResNetVariant.ResNet50 => ([3, 4, 6, 3], true),
        ResNetVariant.ResNet101 => ([3, 4, 23, 3], true),
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "unknown ResNet variant"),
    };

    /// <summary>torchvision's ResNet init (zero_init_residual=False): every convolution kaiming_normal_ with fan_out
    /// and ReLU gain; norm layers keep their own initialisation (BatchNorm's and GroupNorm's weight 1, bias 0).</summary>
    private void InitializeAsTorchvision()
    {
        using var noGrad = no_grad();
        foreach (var (_, module) in named_modules())
        {
            var weight = module switch
            {
                Conv2d conv => conv.weight,
                PointwiseConv2d pointwise => pointwise.Weight,
                _ => null,
            };
            if (weight is not null) nn.init.kaiming_normal_(weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
        }
    }
}
