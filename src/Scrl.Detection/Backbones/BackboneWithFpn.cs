using Scrl.Core.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Scrl.Detection.Backbones;

// Shapes: N images, D FPN channels, H x W padded batch size.

/// <summary>ResNet body (C2..C5) followed by an FPN: P2..P5 as "0".."3" and P6 as "pool".</summary>
/// <remarks>Mirrors torchvision models/detection/backbone_utils.py BackboneWithFPN and _resnet_fpn_extractor. Keys: body.*, fpn.*.</remarks>
public sealed class BackboneWithFpn : nn.Module<Tensor, OrderedDictionary<string, Tensor>>
{
    /// <summary>Stages freezable from the top, in torchvision's order.</summary>
    private static readonly string[] StagesTopDown = ["layer4", "layer3", "layer2", "layer1", "conv1"];

    // Field names are the state-dict keys: never rename.
    private readonly ResNetBackbone body;
    private readonly FeaturePyramidNetwork fpn;

    public BackboneWithFpn(ResNetBackbone body, FeaturePyramidNetwork fpn, long outChannels) : base(nameof(BackboneWithFpn))
    {
        this.body = body;
        this.fpn = fpn;
        var shapes = new Dictionary<string, FeatureShape>();
        foreach (var (name, shape) in body.OutputShapes) shapes[name] = new FeatureShape(outChannels, shape.Stride);
        shapes[FeaturePyramidNetwork.PoolLevelName] = new FeatureShape(outChannels, 2 * body.OutputShapes.Values.Max(s => s.Stride));
        OutputShapes = shapes;
        OutChannels = outChannels;
        RegisterComponents();
    }

    /// <summary>Channels and stride per output level ("0".."3", "pool").</summary>
    public IReadOnlyDictionary<string, FeatureShape> OutputShapes { get; }

    public long OutChannels { get; }

    /// <summary>The ResNet body, e.g. to load a pretrained SCRL/BYOL/ImageNet backbone into it.</summary>
    public ResNetBackbone Body => body;

    /// <summary>Builds the body with the chosen norm, the FPN over C2..C5, and freezes the untrained stages.</summary>
    public static BackboneWithFpn FromOptions(BackboneOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.TrainableLayers is < 0 or > 5)
            throw new ArgumentOutOfRangeException(nameof(options), options.TrainableLayers, "TrainableLayers must be in [0, 5]");
        var body = new ResNetBackbone(options.Variant, NormLayer(options));
        var fpn = new FeaturePyramidNetwork(body.OutputShapes.Values.Select(s => s.Channels).ToList(), options.FpnChannels);
        FreezeStages(body, options.TrainableLayers);
        return new BackboneWithFpn(body, fpn, options.FpnChannels);
    }

    /// <param name="images">Normalised, padded batch [N, 3, H, W].</param>
    /// <returns>"0".."3" = P2..P5 [N, D, H/s, W/s] for s = 4..32, and "pool" = P6.</returns>
    public override OrderedDictionary<string, Tensor> forward(Tensor images)
    {
        var c = body.ForwardFeatures(images);
        return fpn.call(c);
    }

    /// <summary>requires_grad = false on every body parameter outside the top <paramref name="trainableLayers"/> stages.</summary>
    private static void FreezeStages(ResNetBackbone body, int trainableLayers)
    {
        var trained = StagesTopDown.Take(trainableLayers).ToList();
        if (trainableLayers == 5) trained.Add("bn1");
        foreach (var (name, parameter) in body.named_parameters())
            if (!trained.Any(stage => name.StartsWith(stage, StringComparison.Ordinal)))
                parameter.requires_grad = false;
    }

    private static Func<int, nn.Module<Tensor, Tensor>>? NormLayer(BackboneOptions options) => options.Norm switch
    {
        BackboneNorm.BatchNorm => null,
        BackboneNorm.FrozenBatchNorm => channels => new FrozenBatchNorm2d(channels),
        BackboneNorm.GroupNorm => channels => nn.GroupNorm(options.GroupNormGroups, channels),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Norm, "unknown norm"),
    };
}
