namespace Scrl.Detection.RoiHeads;

/// <summary>Box head settings (torchvision FasterRCNN's box_* arguments, same defaults).</summary>
public sealed record BoxHeadOptions
{
    /// <summary>Detections below this class probability are dropped at test time.</summary>
    public double ScoreThreshold { get; init; } = 0.05;

    public double NmsThreshold { get; init; } = 0.5;

    public int DetectionsPerImage { get; init; } = 100;

    /// <summary>Proposals with IoU at or above this are foreground.</summary>
    public double FgIouThreshold { get; init; } = 0.5;

    /// <summary>Proposals with IoU below this are background.</summary>
    public double BgIouThreshold { get; init; } = 0.5;

    public int BatchSizePerImage { get; init; } = 512;

    public double PositiveFraction { get; init; } = 0.25;

    /// <summary>Box coder weights (wx, wy, ww, wh).</summary>
    public IReadOnlyList<double> RegressionWeights { get; init; } = [10, 10, 5, 5];

    /// <summary>Pooled size S of MultiScaleRoIAlign.</summary>
    public int PoolSize { get; init; } = 7;

    public int SamplingRatio { get; init; } = 2;

    /// <summary>Width of fc6 and fc7.</summary>
    public int RepresentationSize { get; init; } = 1024;
}
