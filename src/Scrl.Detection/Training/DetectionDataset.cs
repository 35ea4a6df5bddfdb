using Scrl.Core.Data;
using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Datasets;
using Scrl.Detection.Masks;
using static TorchSharp.torch;

namespace Scrl.Detection.Training;

// Shapes: G instances of one image, J keypoints per instance; pixels of the decoded image (H x W).

/// <summary>Dataset records as detector inputs: float images in [0, 1], contiguous labels 1..K-1, and the masks or keypoints a detector asks for.</summary>
/// <remarks>
/// Crowd regions are dropped from training targets (as torchvision's reference scripts do), and for training,
/// images left without a box of positive area are skipped and counted in <see cref="SkippedImages"/>.
/// Labels follow the dataset's category ids in increasing order; <see cref="CategoryOf"/> maps them back.
/// Masks are rasterised from COCO polygons or RLE as pycocotools does; a horizontal flip mirrors masks and
/// keypoints, swapping COCO's left and right keypoints and zeroing unlabelled ones as torchvision's reference does.
/// </remarks>
public sealed class DetectionDataset
{
    private readonly Dictionary<int, long> _labelOfCategory;
    private readonly int[] _categoryOfLabel;

    /// <param name="extras">Annotations to load besides boxes; a training set must provide them on every instance.</param>
    /// <exception cref="InvalidDataException">Training asks for masks or keypoints that the dataset lacks; the message says which and where.</exception>
    public DetectionDataset(ImageDataset dataset, bool training, TargetExtras extras = TargetExtras.None)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        _categoryOfLabel = [0, .. dataset.Categories.Select(c => c.Id).Order()];
        _labelOfCategory = _categoryOfLabel.Skip(1).Select((id, i) => (id, label: (long)i + 1)).ToDictionary(p => p.id, p => p.label);
        Extras = training ? extras : TargetExtras.None;
        Records = training ? dataset.Records.Where(r => TrainingBoxes(r).Any()).ToList() : dataset.Records;
        SkippedImages = dataset.Records.Count - Records.Count;
        if (training) TargetAnnotationCheck.ThrowIfMissing(dataset.Description, Records, extras);
    }

    public IReadOnlyList<DatasetRecord> Records { get; }

    /// <summary>Images without a usable box, left out of training.</summary>
    public int SkippedImages { get; }

    /// <summary>K: categories plus background.</summary>
    public int NumClasses => _categoryOfLabel.Length;

    /// <summary>What <see cref="Load"/> adds to the boxes (nothing outside training).</summary>
    public TargetExtras Extras { get; }

    /// <summary>The dataset's category id of a model label.</summary>
    public int CategoryOf(long label) => _categoryOfLabel[label];

    /// <summary>Decodes image <paramref name="index"/> and its non-crowd instances, mirrored when <paramref name="flip"/>.</summary>
    /// <returns>Image [3, H, W] float in [0, 1]; target boxes [G, 4] float32, labels [G] int64, and per <see cref="Extras"/>
    /// masks [G, H, W] uint8 and keypoints [G, J, 3] float32.</returns>
    public (Tensor Image, DetectionTarget Target) Load(int index, bool flip)
    {
        var record = Records[index];
        using var scope = NewDisposeScope();
        var image = ImageDecoder.DecodeFile(record.ImagePath).to(ScalarType.Float32).div_(255);    // [3, H, W]
        long height = image.shape[1], width = image.shape[2];
        var instances = TrainingBoxes(record).ToList();
        var boxes = tensor(instances.SelectMany(i => new[] { (float)i.Box.X1, (float)i.Box.Y1, (float)i.Box.X2, (float)i.Box.Y2 }).ToArray())
            .view(-1, 4);                                                                              // [G, 4]
        var labels = tensor(instances.Select(i => _labelOfCategory[i.CategoryId]).ToArray(), ScalarType.Int64);   // [G]
        var masks = Extras.HasFlag(TargetExtras.Masks) ? Masks(record, instances, height, width) : null;
        var keypoints = Extras.HasFlag(TargetExtras.Keypoints) ? Keypoints(instances) : null;
        if (flip)
        {
            image = image.flip(2);
            boxes = stack([width - boxes[.., 2], boxes[.., 1], width - boxes[.., 0], boxes[.., 3]], 1);  // [G, 4]
            masks = masks?.flip(2);
            keypoints = keypoints is null ? null : FlipKeypoints(keypoints, width);
        }
        return (image.MoveToOuterDisposeScope(), new DetectionTarget(boxes.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope(),
                                                                     masks?.MoveToOuterDisposeScope(), keypoints?.MoveToOuterDisposeScope()));
    }

    internal static IEnumerable<DatasetInstance> TrainingBoxes(DatasetRecord record) =>
        record.Instances.Where(i => !i.IsCrowd && i.Box.Width > 0 && i.Box.Height > 0);

    /// <returns>[G, H, W] uint8.</returns>
    private static Tensor Masks(DatasetRecord record, IReadOnlyList<DatasetInstance> instances, long height, long width)
    {
        if (height != record.Height || width != record.Width)
            throw new InvalidDataException($"'{record.ImagePath}' decodes to {width}x{height}, but its annotations describe a {record.Width}x{record.Height} image; its masks would not line up.");
        var pixels = new byte[instances.Count * height * width];
        for (int g = 0; g < instances.Count; g++)
            CocoMasks.Rasterize(instances[g].Segmentation!, (int)height, (int)width).CopyTo(pixels, g * height * width);
        return tensor(pixels, [instances.Count, height, width]);
    }

    /// <returns>[G, J, 3] float32 (x, y, visibility).</returns>
    private static Tensor Keypoints(IReadOnlyList<DatasetInstance> instances) =>
        tensor(instances.SelectMany(i => i.Keypoints!.Select(v => (float)v)).ToArray()).view(instances.Count, -1, 3);

    /// <summary>torchvision references/detection/transforms.py _flip_coco_person_keypoints.</summary>
    private static Tensor FlipKeypoints(Tensor keypoints, long width)
    {
        var flipped = keypoints.index_select(1, tensor(CocoPersonKeypoints.FlipPermutation.Select(i => (long)i).ToArray()));
        flipped = cat([(width - flipped[.., .., ..1]), flipped[.., .., 1..]], 2);                     // x -> width - x
        return flipped.masked_fill(flipped[.., .., 2..3].eq(0), 0);                                   // unlabelled points stay (0, 0, 0)
    }
}
