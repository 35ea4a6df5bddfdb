using static TorchSharp.torch;

namespace Scrl.Core.Data.Loading;

/// <summary>
/// Decoded images of one batch, owned by whoever holds the batch: the consumer disposes it (tensors made on
/// loader threads belong to no dispose scope, so nothing else will).
/// </summary>
public sealed class ImageBatch : IDisposable
{
    public ImageBatch(IReadOnlyList<Tensor> images, IReadOnlyList<long> sampleIndices, IReadOnlyList<int>? labels, LoaderPosition position)
    {
        if (images.Count != sampleIndices.Count || (labels is not null && labels.Count != images.Count))
            throw new ArgumentException($"Batch has {images.Count} images, {sampleIndices.Count} sample indices and {labels?.Count} labels.");
        Images = images;
        SampleIndices = sampleIndices;
        Labels = labels;
        Position = position;
    }

    /// <summary>uint8 [3, H_i, W_i] per image; sizes differ between images.</summary>
    public IReadOnlyList<Tensor> Images { get; }

    /// <summary>Index of each image in the source; seeds its augmentation.</summary>
    public IReadOnlyList<long> SampleIndices { get; }

    /// <summary>Class per image, or null when the source has no labels.</summary>
    public IReadOnlyList<int>? Labels { get; }

    public LoaderPosition Position { get; }

    public void Dispose()
    {
        foreach (var image in Images) image.Dispose();
    }
}
