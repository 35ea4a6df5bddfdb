namespace Scrl.Detection.RoiHeads;

/// <summary>Mask branch settings (torchvision MaskRCNN's mask_* parts as maskrcnn_resnet50_fpn builds them).</summary>
public sealed record MaskHeadOptions
{
    /// <summary>Pooled size S of mask_roi_pool; the predicted masks are 2S x 2S (28 x 28).</summary>
    public int PoolSize { get; init; } = 14;

    public int SamplingRatio { get; init; } = 2;

    /// <summary>Output channels of each 3x3 conv of the mask head (mask_layers).</summary>
    public IReadOnlyList<int> Layers { get; init; } = [256, 256, 256, 256];

    /// <summary>Dilation (and padding) of the mask head's convolutions (mask_dilation).</summary>
    public int Dilation { get; init; } = 1;

    /// <summary>Channels of the predictor's 2x2 transposed convolution (mask_dim_reduced).</summary>
    public int DimReduced { get; init; } = 256;
}
