namespace Scrl.Detection.Backbones;

/// <summary>Normalisation layers of the ResNet body (torchvision's norm_layer).</summary>
public enum BackboneNorm
{
    /// <summary>Fixed affine from the pretrained statistics (torchvision's default when fine-tuning pretrained weights).</summary>
    FrozenBatchNorm,

    /// <summary>Trainable BatchNorm2d with batch statistics in training (torchvision's default without pretrained weights).</summary>
    BatchNorm,

    /// <summary>GroupNorm with <see cref="BackboneOptions.GroupNormGroups"/> groups, independent of batch size.</summary>
    GroupNorm,
}
