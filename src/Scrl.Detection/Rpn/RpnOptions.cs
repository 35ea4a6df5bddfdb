namespace Scrl.Detection.Rpn;

/// <summary>Region proposal network settings (torchvision FasterRCNN's rpn_* arguments, same defaults).</summary>
public sealed record RpnOptions
{
    /// <summary>Top-scoring anchors kept per level before NMS.</summary>
    public TrainTest<int> PreNmsTopN { get; init; } = new(2000, 1000);

    /// <summary>Proposals kept per image after NMS.</summary>
    public TrainTest<int> PostNmsTopN { get; init; } = new(2000, 1000);

    public double NmsThreshold { get; init; } = 0.7;

    /// <summary>Anchors with IoU at or above this are foreground.</summary>
    public double FgIouThreshold { get; init; } = 0.7;

    /// <summary>Anchors with IoU below this are background.</summary>
    public double BgIouThreshold { get; init; } = 0.3;

    public int BatchSizePerImage { get; init; } = 256;

    public double PositiveFraction { get; init; } = 0.5;

    /// <summary>Proposals with objectness probability below this are dropped.</summary>
    public double ScoreThreshold { get; init; } = 0.0;

    /// <summary>Proposals narrower or shorter than this (px) are dropped.</summary>
    public double MinSize { get; init; } = 1e-3;
}
