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
}
