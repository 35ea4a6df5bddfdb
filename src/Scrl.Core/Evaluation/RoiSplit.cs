using Scrl.Core.Data.Datasets;
using Scrl.Core.Data.Loading;

namespace Scrl.Core.Evaluation;

/// <summary>One evaluated box: xyxy in pixels of the resized image, its class index and its size bucket.</summary>
public readonly record struct RoiBox(float X1, float Y1, float X2, float Y2, int ClassIndex, BoxSizeBucket Size);

/// <summary>An image to resize to <paramref name="ResizedWidth"/> x <paramref name="ResizedHeight"/>, and its boxes in those pixels.</summary>
public sealed record RoiImage(DatasetRecord Record, int ResizedWidth, int ResizedHeight, IReadOnlyList<RoiBox> Boxes);

/// <summary>
/// The RoIs of one labelled split, ready for extraction: crowd boxes excluded, boxes smaller than one pixel
/// after the resize skipped, categories mapped to class indices, optionally subsampled.
/// </summary>
public sealed record RoiSplit(IReadOnlyList<RoiImage> Images, int CrowdExcluded, int DegenerateSkipped)
{
    public int RoiCount => Images.Sum(i => i.Boxes.Count);

    /// <summary>Builds the split from <paramref name="dataset"/> with the resize of <paramref name="options"/>.</summary>
    /// <param name="categories">The train split's map; a val box of an unknown category throws.</param>
    /// <param name="splitSalt">Keeps the train and val subsamples independent under one seed.</param>
    public static RoiSplit Build(ImageDataset dataset, CategoryMap categories, RoiEvalOptions options, int splitSalt = 0)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(options);
        int crowd = 0, degenerate = 0;
        var images = new List<RoiImage>();
        foreach (var record in dataset.Records)
        {
            if (record.Width < 1 || record.Height < 1)
                throw new InvalidDataException($"{dataset.Description}: image {record.ImageId} states size {record.Width}x{record.Height}");
            var (width, height) = ResizedSize(record.Width, record.Height, options);
            double sx = (double)width / record.Width, sy = (double)height / record.Height;
            var boxes = new List<RoiBox>();
            foreach (var instance in record.Instances)
            {
                if (instance.IsCrowd) { crowd++; continue; }
                var b = instance.Box;
                // Clip to the image first: a box hanging over the edge is only as big as its visible part.
                double x1 = Math.Clamp(b.X1, 0, record.Width) * sx, x2 = Math.Clamp(b.X2, 0, record.Width) * sx;
                double y1 = Math.Clamp(b.Y1, 0, record.Height) * sy, y2 = Math.Clamp(b.Y2, 0, record.Height) * sy;
                if (x2 - x1 < 1 || y2 - y1 < 1) { degenerate++; continue; }
                boxes.Add(new RoiBox((float)x1, (float)y1, (float)x2, (float)y2, categories.IndexOf(instance.CategoryId),
                                     BoxSizes.Of(Math.Max(b.Width, 0) * Math.Max(b.Height, 0))));
            }
            if (boxes.Count > 0) images.Add(new RoiImage(record, width, height, boxes));
        }
        var split = new RoiSplit(images, crowd, degenerate);
        return options.MaxRoisPerSplit > 0 ? split.Subsample(options.MaxRoisPerSplit, options.Seed, splitSalt) : split;
    }

    /// <summary>Resized (width, height): square, or torchvision's int-size rule (longer side truncated).</summary>
    public static (int Width, int Height) ResizedSize(int width, int height, RoiEvalOptions options)
    {
        int s = options.ImageSize;
        if (options.ResizeMode == RoiResizeMode.Square) return (s, s);
        return width <= height ? (s, (int)((long)s * height / width)) : ((int)((long)s * width / height), s);
    }

    /// <summary>Keeps <paramref name="maxRois"/> RoIs drawn uniformly without replacement; images keep their order.</summary>
    private RoiSplit Subsample(int maxRois, long seed, int salt)
    {
        int total = RoiCount;
        if (total <= maxRois) return this;
        var keep = EpochPermutation.Create(seed, epoch: salt, total).Take(maxRois).ToHashSet();
        int flat = 0;
        var images = new List<RoiImage>();
        foreach (var image in Images)
        {
            var kept = image.Boxes.Where(_ => keep.Contains(flat++)).ToList();
            if (kept.Count > 0) images.Add(image with { Boxes = kept });
        }
        return this with { Images = images };
    }
}
