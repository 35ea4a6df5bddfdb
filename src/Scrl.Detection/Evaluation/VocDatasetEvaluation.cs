using Scrl.Core.Data.Datasets;

namespace Scrl.Detection.Evaluation;

/// <summary>VOC metrics for a dataset and COCO-format detections on it (e.g. from <c>DetectionPredictor</c>).</summary>
/// <remarks>
/// Class indices follow the dataset's category ids in increasing order, as the model's labels do. Boxes go back to
/// VOC's 1-based x1/y1 (the readers store 0-based), and crowd regions count as difficult: neither hit nor miss.
/// </remarks>
public static class VocDatasetEvaluation
{
    /// <param name="dataset">Evaluated images (VOC2007 or VOC2012 ids); results name them by <see cref="ResultImageIds.Of"/>.</param>
    /// <param name="detections">xywh px in each image's pixels, dataset category ids.</param>
    /// <param name="use07Metric">11-point AP, as for VOC2007 test.</param>
    public static VocResult Evaluate(ImageDataset dataset, IReadOnlyList<CocoDetection> detections, bool use07Metric)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(detections);
        var categories = dataset.Categories.OrderBy(c => c.Id).ToList();
        var classOf = categories.Select((c, i) => (c.Id, i)).ToDictionary(p => p.Id, p => p.i);
        var imageIdOf = ResultImageIds.Index(dataset.Records.Select(r => r.ImageId));

        var truth = dataset.Records
            .SelectMany(r => r.Instances.Select(i => new VocGroundTruthBox(
                r.ImageId, classOf[i.CategoryId], i.Box.X1 + 1, i.Box.Y1 + 1, i.Box.X2, i.Box.Y2, i.Difficult || i.IsCrowd)))
            .ToList();
        var voc = detections
            .Select(d => d.Bbox is { Count: 4 } ? d : throw new InvalidDataException($"VOC evaluation needs a box on every detection; one on image {d.ImageId} has none."))
            .Select(d => VocDetection.FromModelOutput(imageIdOf[d.ImageId], classOf[d.CategoryId], (float)d.Score,
                (float)d.Bbox![0], (float)d.Bbox[1], (float)(d.Bbox[0] + d.Bbox[2]), (float)(d.Bbox[1] + d.Bbox[3])))
            .ToList();
        return new VocEvaluator(categories.Select(c => c.Name).ToList(), use07Metric)
            .Evaluate(dataset.Records.Select(r => r.ImageId).ToList(), truth, voc);
    }
}
