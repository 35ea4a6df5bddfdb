using Scrl.Core.Augment;
using Scrl.Core.Data;
using static TorchSharp.torch;

namespace Scrl.Core.Evaluation;

// Shapes: N images, H x W the largest resized size in the batch, R RoIs.

/// <summary>A decoded, resized, normalized image batch and its RoIs, on the CPU.</summary>
/// <param name="Images">[N, 3, H, W] float, normalized; smaller images are zero-padded bottom/right.</param>
/// <param name="Rois">[R, 5] = (batchIdx, x1, y1, x2, y2), xyxy in resized-image pixels.</param>
/// <param name="Labels">[R] int64 class indices.</param>
/// <param name="Sizes">[R] int64 <see cref="BoxSizeBucket"/> values.</param>
public sealed record RoiImageBatch(Tensor Images, Tensor Rois, Tensor Labels, Tensor Sizes)
{
    /// <summary>Decodes and resizes <paramref name="images"/> (bicubic, antialiased) into one batch.</summary>
    /// <exception cref="InvalidDataException">A decoded image's size differs from the size its annotations state.</exception>
    public static RoiImageBatch Load(IReadOnlyList<RoiImage> images, RoiEvalOptions options)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0) throw new ArgumentException("need at least one image", nameof(images));
        using var scope = NewDisposeScope();
        int height = images.Max(i => i.ResizedHeight), width = images.Max(i => i.ResizedWidth);
        var padded = new Tensor[images.Count];
        var rois = new List<float>();
        var labels = new List<long>();
        var sizes = new List<long>();
        for (int n = 0; n < images.Count; n++)
        {
            var image = images[n];
            var pixels = ImageDecoder.DecodeFile(image.Record.ImagePath);                  // [3, h0, w0] uint8
            if (pixels.shape[1] != image.Record.Height || pixels.shape[2] != image.Record.Width)
                throw new InvalidDataException($"'{image.Record.ImagePath}' decodes to {pixels.shape[2]}x{pixels.shape[1]}, " +
                                               $"but its annotations say {image.Record.Width}x{image.Record.Height}");
            var resized = Resampling.ResizeBicubic(Resampling.ToUnitFloat(pixels).unsqueeze(0),
                                                   image.ResizedHeight, image.ResizedWidth);   // [1, 3, h, w]
            var normalized = ColorOps.Normalize(resized, options.NormalizeMean, options.NormalizeStd);
            padded[n] = nn.functional.pad(normalized, [0, width - image.ResizedWidth, 0, height - image.ResizedHeight]);   // [1, 3, H, W]
            foreach (var box in image.Boxes)
            {
                rois.AddRange([n, box.X1, box.Y1, box.X2, box.Y2]);
                labels.Add(box.ClassIndex);
                sizes.Add((long)box.Size);
            }
        }
        return new RoiImageBatch(cat(padded, 0).MoveToOuterDisposeScope(),                           // [N, 3, H, W]
                                 tensor(rois.ToArray()).view(-1, 5).MoveToOuterDisposeScope(),  // [R, 5]
                                 tensor(labels.ToArray()).MoveToOuterDisposeScope(),
                                 tensor(sizes.ToArray()).MoveToOuterDisposeScope());
    }
}
