using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Datasets;

namespace Scrl.Detection.Training;

/// <summary>Refuses, before any training step, a dataset that lacks the masks or keypoints its detector trains on.</summary>
internal static class TargetAnnotationCheck
{
    /// <exception cref="InvalidDataException">Instances lack what <paramref name="extras"/> asks for; the message counts them and names the first.</exception>
    public static void ThrowIfMissing(string dataset, IReadOnlyList<DatasetRecord> records, TargetExtras extras)
    {
        var instances = records.SelectMany(r => DetectionDataset.TrainingBoxes(r).Select(i => (Record: r, Instance: i))).ToList();
        if (extras.HasFlag(TargetExtras.Masks))
            Check(dataset, instances, i => i.Segmentation is null, "masks",
                  "has no segmentation; give COCO instances with polygons or RLE (or Cityscapes gtFine polygons)");
        if (extras.HasFlag(TargetExtras.Keypoints))
            Check(dataset, instances, i => i.Keypoints?.Count != 3 * CocoPersonKeypoints.Count, "keypoints",
                  $"has no {CocoPersonKeypoints.Count} COCO person keypoints [x, y, v]; give a person_keypoints_<split>2017.json");
    }

    private static void Check(string dataset, List<(DatasetRecord Record, DatasetInstance Instance)> instances,
                              Func<DatasetInstance, bool> lacks, string what, string fix)
    {
        var missing = instances.Where(x => lacks(x.Instance)).ToList();
        if (missing.Count == 0) return;
        var (record, instance) = missing[0];
        throw new InvalidDataException(
            $"This detector trains on {what}, but {missing.Count} of the {instances.Count} training instances in {dataset} lack them. " +
            $"The first, in image {record.ImageId} ({record.FileName}){(instance.AnnotationId is { } id ? $", annotation {id}" : "")}, {fix}.");
    }
}
