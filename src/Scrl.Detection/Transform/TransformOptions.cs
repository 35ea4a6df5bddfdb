namespace Scrl.Detection.Transform;

/// <summary>Input normalisation and resizing (torchvision FasterRCNN's transform arguments).</summary>
public sealed record TransformOptions
{
    /// <summary>Shortest side after resizing; in training one is drawn per image when several are given.</summary>
    public IReadOnlyList<int> MinSize { get; init; } = [800];

    /// <summary>Longest side is capped at this.</summary>
    public int MaxSize { get; init; } = 1333;

    public IReadOnlyList<float> ImageMean { get; init; } = [0.485f, 0.456f, 0.406f];

    public IReadOnlyList<float> ImageStd { get; init; } = [0.229f, 0.224f, 0.225f];

    /// <summary>The padded batch's height and width are multiples of this.</summary>
    public int SizeDivisible { get; init; } = 32;
}
