namespace Scrl.Detection.Training;

/// <summary>What a fine-tuning run trains, on what, from which backbone, on which schedule: all a <see cref="FinetuneJob"/> needs.</summary>
public sealed record FinetuneSpec
{
    public DetectorKind Detector { get; init; } = DetectorKind.FasterRcnn;

    public FinetuneTask Task { get; init; } = FinetuneTask.CocoDet;

    public required DetectionSplit Train { get; init; }

    /// <summary>Where the final checkpoint is scored; null trains only.</summary>
    public DetectionSplit? Val { get; init; }

    /// <summary>Backbone checkpoint (SCRL .ckpt, torchvision .pth) or <see cref="FinetuneModel.RandomBackbone"/>.</summary>
    public string Backbone { get; init; } = FinetuneModel.RandomBackbone;

    public FinetuneOptions Training { get; init; } = new();
}
