using Scrl.Core.Augment;
using Scrl.Core.Boxes;
using Scrl.Core.Data.Loading;
using static TorchSharp.torch;

namespace Scrl.Core.Training;

// Shapes: N images, S the view side (AugmentOptions.InputSize), R box pairs.

/// <summary>A matched box pair: the same region of the original image, xyxy in pixels of each view.</summary>
public sealed record BoxPair(IReadOnlyList<float> View1, IReadOnlyList<float> View2);

/// <summary>One image's two augmented views (RGB bytes, row-major S x S x 3) and its box pairs.</summary>
public sealed record BoxPairImage(long SampleIndex, int Side, byte[] View1Rgb, byte[] View2Rgb, IReadOnlyList<BoxPair> Pairs);

/// <summary>
/// What pretraining feeds the networks for some images: the views and box pairs come from
/// <see cref="TwoViewBatchBuilder"/>, the very code the training loader runs, at the given seed and data position, so
/// they are the augmenter's and <see cref="SpatialBoxGenerator"/>'s draws for that seed. Box draws are sequential over a
/// batch's images, so the first images of a batch get the same boxes here as in the whole batch.
/// </summary>
public static class BoxPairPreview
{
    /// <param name="imagesUint8">uint8 [3, H_n, W_n] per image; not disposed.</param>
    /// <param name="sampleIndices">Each image's index in the data source (seeds its augmentation).</param>
    /// <param name="position">The batch's place in the data order (seeds the box draws).</param>
    public static IReadOnlyList<BoxPairImage> Build(IReadOnlyList<Tensor> imagesUint8, IReadOnlyList<long> sampleIndices, LoaderPosition position,
                                                    AugmentOptions augment, BoxGenOptions boxes, long seed)
    {
        ArgumentNullException.ThrowIfNull(imagesUint8);
        ArgumentNullException.ThrowIfNull(augment);
        ArgumentNullException.ThrowIfNull(boxes);
        using var scope = NewDisposeScope();
        var batch = new ImageBatch([.. imagesUint8.Select(i => i.alias())], sampleIndices, labels: null, position);
        using var built = new TwoViewBatchBuilder(augment, boxes, seed).Build(batch);
        int n = imagesUint8.Count, side = augment.InputSize;
        var pixels = ToRgbBytes(built.Views, augment);                                        // [2N, S, S, 3]
        int pixelsPerView = side * side * 3;
        float[] rois = built.Rois is null ? [] : built.Rois.data<float>().ToArray();            // [2R, 5] flattened
        int pairCount = rois.Length / 10;
        var result = new List<BoxPairImage>(n);
        for (int b = 0; b < n; b++)
        {
            var pairs = new List<BoxPair>();
            for (int r = 0; r < pairCount; r++)
            {
                if ((int)rois[5 * r] != b) continue;
                int second = pairCount + r;                                                   // view-2 rows follow view-1 rows
                pairs.Add(new BoxPair(rois[(5 * r + 1)..(5 * r + 5)], rois[(5 * second + 1)..(5 * second + 5)]));
            }
            result.Add(new BoxPairImage(sampleIndices[b], side, pixels[(b * pixelsPerView)..((b + 1) * pixelsPerView)],
                                        pixels[((n + b) * pixelsPerView)..((n + b + 1) * pixelsPerView)], pairs));
        }
        return result;
    }

    /// <summary>Undoes the normalization: [2N, 3, S, S] float → RGB bytes in (view, row, column, channel) order.</summary>
    private static byte[] ToRgbBytes(Tensor views, AugmentOptions augment)
    {
        var mean = tensor(augment.NormalizeMean.Select(v => (float)v).ToArray()).view(1, 3, 1, 1);
        var std = tensor(augment.NormalizeStd.Select(v => (float)v).ToArray()).view(1, 3, 1, 1);
        var unit = (views * std + mean).clamp(0, 1);
        return (unit * 255).round().to(ScalarType.Byte).permute(0, 2, 3, 1).contiguous().data<byte>().ToArray();
    }
}
