using Scrl.Core.Data;
using Scrl.Core.Data.Datasets;
using static TorchSharp.torch;

namespace Scrl.Detection.Training;

// Shapes: G boxes of one image, xyxy px of the decoded image.

/// <summary>Dataset records as detector inputs: float images in [0, 1] and contiguous labels 1..K-1.</summary>
/// <remarks>
/// Crowd regions are dropped from training targets (as torchvision's reference scripts do), and for training,
/// images left without a box of positive area are skipped and counted in <see cref="SkippedImages"/>.
/// Labels follow the dataset's category ids in increasing order; <see cref="CategoryOf"/> maps them back.
/// </remarks>
public sealed class DetectionDataset
{
    private readonly Dictionary<int, long> _labelOfCategory;
    private readonly int[] _categoryOfLabel;

    public DetectionDataset(ImageDataset dataset, bool training)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        _categoryOfLabel = [0, .. dataset.Categories.Select(c => c.Id).Order()];
        _labelOfCategory = _categoryOfLabel.Skip(1).Select((id, i) => (id, label: (long)i + 1)).ToDictionary(p => p.id, p => p.label);
        Records = training ? dataset.Records.Where(r => TrainingBoxes(r).Any()).ToList() : dataset.Records;
        SkippedImages = dataset.Records.Count - Records.Count;
    }

    public IReadOnlyList<DatasetRecord> Records { get; }

    /// <summary>Images without a usable box, left out of training.</summary>
    public int SkippedImages { get; }

    /// <summary>K: categories plus background.</summary>
    public int NumClasses => _categoryOfLabel.Length;

    /// <summary>The dataset's category id of a model label.</summary>
    public int CategoryOf(long label) => _categoryOfLabel[label];

    /// <summary>Decodes image <paramref name="index"/> and its non-crowd boxes, mirrored when <paramref name="flip"/>.</summary>
    /// <returns>Image [3, H, W] float in [0, 1] and target boxes [G, 4] float32, labels [G] int64.</returns>
    public (Tensor Image, DetectionTarget Target) Load(int index, bool flip)
    {
        var record = Records[index];
        using var scope = NewDisposeScope();
        var image = ImageDecoder.DecodeFile(record.ImagePath).to(ScalarType.Float32).div_(255);    // [3, H, W]
        var instances = TrainingBoxes(record).ToList();
        var boxes = tensor(instances.SelectMany(i => new[] { (float)i.Box.X1, (float)i.Box.Y1, (float)i.Box.X2, (float)i.Box.Y2 }).ToArray())
            .view(-1, 4);                                                                              // [G, 4]
        var labels = tensor(instances.Select(i => _labelOfCategory[i.CategoryId]).ToArray(), ScalarType.Int64);   // [G]
        if (flip)
        {
            long width = image.shape[2];
            image = image.flip(2);
            boxes = stack([width - boxes[.., 2], boxes[.., 1], width - boxes[.., 0], boxes[.., 3]], 1);  // [G, 4]
        }
        return (image.MoveToOuterDisposeScope(), new DetectionTarget(boxes.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope()));
    }

    private static IEnumerable<DatasetInstance> TrainingBoxes(DatasetRecord record) =>
        record.Instances.Where(i => !i.IsCrowd && i.Box.Width > 0 && i.Box.Height > 0);
}
