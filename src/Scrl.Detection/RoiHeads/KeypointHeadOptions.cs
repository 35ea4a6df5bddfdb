namespace Scrl.Detection.RoiHeads;

/// <summary>Keypoint branch settings (torchvision KeypointRCNN's keypoint_* arguments and the defaults it builds).</summary>
public sealed record KeypointHeadOptions
{
    /// <summary>J: keypoints per instance (17 for COCO persons).</summary>
    public int NumKeypoints { get; init; } = 17;

    /// <summary>Pooled size S of the branch's MultiScaleRoIAlign; the heatmaps are 4S x 4S.</summary>
    public int PoolSize { get; init; } = 14;

    public int SamplingRatio { get; init; } = 2;

    /// <summary>Output channels of each 3x3 conv of KeypointRCNNHeads (eight of 512).</summary>
    public IReadOnlyList<int> Layers { get; init; } = [512, 512, 512, 512, 512, 512, 512, 512];
}
