using System.Globalization;
using Scrl.Core.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Scrl.Detection.Backbones;

// Shapes: N images, D FPN channels, H x W padded batch size.

/// <summary>ResNet body followed by an FPN over some of its stages (C2..C5), plus the FPN's extra levels.</summary>
/// <remarks>
/// Mirrors torchvision models/detection/backbone_utils.py BackboneWithFPN and _resnet_fpn_extractor, whose
/// IntermediateLayerGetter renames the returned stages "0", "1", ... in order. The R-CNNs: C2..C5 to "0".."3" plus
/// "pool"; RetinaNet: C3..C5 to "0".."2" plus "p6", "p7". Keys: body.*, fpn.*.
/// </remarks>
public sealed class BackboneWithFpn : nn.Module<Tensor, OrderedDictionary<string, Tensor>>
{
    /// <summary>Stages freezable from the top, in torchvision's order.</summary>
    private static readonly string[] StagesTopDown = ["layer4", "layer3", "layer2", "layer1", "conv1"];

    // Field names are the state-dict keys: never rename.
    private readonly ResNetBackbone body;
    private readonly FeaturePyramidNetwork fpn;

    /// <summary>The body's feature names (<see cref="ResNetBackbone.FeatureNames"/>) the FPN reads, in order.</summary>
    private readonly IReadOnlyList<string> _returned;

    /// <param name="returnedLayers">Stages 1..4 (C2..C5) feeding <paramref name="fpn"/>, increasing.</param>
    /// <param name="extraLevels">The extra levels <paramref name="fpn"/> was built with.</param>
    public BackboneWithFpn(ResNetBackbone body, FeaturePyramidNetwork fpn, long outChannels, IReadOnlyList<int> returnedLayers, FpnExtraLevels extraLevels)
        : base(nameof(BackboneWithFpn))
    {
        ValidateReturnedLayers(returnedLayers);
        this.body = body;
        this.fpn = fpn;
        _returned = returnedLayers.Select(layer => ResNetBackbone.FeatureNames[layer - 1]).ToList();
        var shapes = new Dictionary<string, FeatureShape>();
        for (int i = 0; i < _returned.Count; i++)
            shapes[i.ToString(CultureInfo.InvariantCulture)] = new FeatureShape(outChannels, body.OutputShapes[_returned[i]].Stride);
        int lastStride = body.OutputShapes[_returned[^1]].Stride;
        if (extraLevels == FpnExtraLevels.MaxPool)
        {
            shapes[FeaturePyramidNetwork.PoolLevelName] = new FeatureShape(outChannels, 2 * lastStride);
        }
        else
        {
            shapes[LastLevelP6P7.P6LevelName] = new FeatureShape(outChannels, 2 * lastStride);
            shapes[LastLevelP6P7.P7LevelName] = new FeatureShape(outChannels, 4 * lastStride);
        }
        OutputShapes = shapes;
        OutChannels = outChannels;
        RegisterComponents();
    }

    /// <summary>Channels and stride per output level, in output order ("0".."3", "pool"; or "0".."2", "p6", "p7").</summary>
    public IReadOnlyDictionary<string, FeatureShape> OutputShapes { get; }

    public long OutChannels { get; }

    /// <summary>The ResNet body, e.g. to load a pretrained SCRL/BYOL/ImageNet backbone into it.</summary>
    public ResNetBackbone Body => body;

    /// <summary>Builds the body with the chosen norm, the FPN over the returned stages, and freezes the untrained stages.</summary>
    public static BackboneWithFpn FromOptions(BackboneOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.TrainableLayers is < 0 or > 5)
            throw new ArgumentOutOfRangeException(nameof(options), options.TrainableLayers, "TrainableLayers must be in [0, 5]");
        ValidateReturnedLayers(options.ReturnedLayers);
        var body = new ResNetBackbone(options.Variant, NormLayer(options));
        var inChannels = options.ReturnedLayers.Select(layer => body.OutputShapes[ResNetBackbone.FeatureNames[layer - 1]].Channels).ToList();
        var fpn = new FeaturePyramidNetwork(inChannels, options.FpnChannels, options.ExtraLevels);
        FreezeStages(body, options.TrainableLayers);
        return new BackboneWithFpn(body, fpn, options.FpnChannels, options.ReturnedLayers, options.ExtraLevels);
    }

    /// <param name="images">Normalised, padded batch [N, 3, H, W].</param>
    /// <returns><see cref="OutputShapes"/>' levels in order, each [N, D, H/s, W/s] for its stride s.</returns>
    public override OrderedDictionary<string, Tensor> forward(Tensor images)
    {
        var c = body.ForwardFeatures(images);
        var selected = new OrderedDictionary<string, Tensor>();
        for (int i = 0; i < _returned.Count; i++) selected.Add(i.ToString(CultureInfo.InvariantCulture), c[_returned[i]]);
        // Stages the FPN skips (RetinaNet's C2, the largest) are freed now rather than at the caller's scope end.
        foreach (var (name, stage) in c)
            if (!_returned.Contains(name)) stage.Dispose();
        return fpn.call(selected);
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

    private static void ValidateReturnedLayers(IReadOnlyList<int> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0 || layers.Any(l => l is < 1 or > 4) || layers.Zip(layers.Skip(1)).Any(p => p.First >= p.Second))
            throw new ArgumentException($"ReturnedLayers must be increasing stages in [1, 4], got [{string.Join(", ", layers)}].", nameof(layers));
    }

    private static Func<int, nn.Module<Tensor, Tensor>>? NormLayer(BackboneOptions options) => options.Norm switch
    {
        BackboneNorm.BatchNorm => null,
        BackboneNorm.FrozenBatchNorm => channels => new FrozenBatchNorm2d(channels),
        BackboneNorm.GroupNorm => channels => nn.GroupNorm(options.GroupNormGroups, channels),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Norm, "unknown norm"),
    };
}
