using Scrl.Core.Models;

namespace Scrl.Detection.Backbones;

/// <summary>ResNet-FPN backbone settings (torchvision resnet_fpn_backbone / _resnet_fpn_extractor arguments).</summary>
public sealed record BackboneOptions
{
    public ResNetVariant Variant { get; init; } = ResNetVariant.ResNet50;

    public BackboneNorm Norm { get; init; } = BackboneNorm.FrozenBatchNorm;

    /// <summary>Stages trained from the top, 0..5 (layer4, layer3, layer2, layer1, conv1; 5 adds bn1). torchvision: 3 with pretrained weights.</summary>
    public int TrainableLayers { get; init; } = 3;

    /// <summary>Channels of every FPN output.</summary>
    public long FpnChannels { get; init; } = 256;

    public int GroupNormGroups { get; init; } = 32;

    /// <summary>ResNet stages feeding the FPN, 1..4 for C2..C5: all four for the R-CNNs, 2..4 for RetinaNet.</summary>
    public IReadOnlyList<int> ReturnedLayers { get; init; } = [1, 2, 3, 4];

    /// <summary>Levels the FPN adds above its last: "pool" for the R-CNNs, "p6" and "p7" for RetinaNet.</summary>
    public FpnExtraLevels ExtraLevels { get; init; } = FpnExtraLevels.MaxPool;
}

/// <summary>torchvision's FPN extra blocks.</summary>
public enum FpnExtraLevels
{
    /// <summary>LastLevelMaxPool: "pool" = max_pool2d(last, 1, stride 2). No weights.</summary>
    MaxPool,

    /// <summary>LastLevelP6P7: "p6" = 3x3 stride-2 conv of P5, "p7" = the same of relu(p6). Keys fpn.extra_blocks.p6.*, p7.*.</summary>
    P6P7,
}
