namespace Scrl.Core.Data.Datasets;

/// <summary>
/// What <c>scrl dataset inspect</c> shows: image and instance counts per category, and box sizes both as COCO's
/// small/medium/large buckets and as a histogram over box side length.
/// </summary>
/// <param name="Images">Records in the dataset.</param>
/// <param name="UnannotatedImages">Records without any instance.</param>
/// <param name="Instances">Instances over all records, crowd regions included.</param>
/// <param name="CrowdInstances">Instances marked crowd.</param>
/// <param name="Categories">Every listed category in id order, plus any unlisted id an instance uses (name "?").</param>
/// <param name="CocoSizes">Non-crowd boxes by COCO area range: small &lt; 32², medium &lt; 96², large otherwise.</param>
/// <param name="SideHistogram">Non-crowd boxes by sqrt(box area), in power-of-two bins.</param>
public sealed record DatasetStatistics(
    int Images,
    int UnannotatedImages,
    int Instances,
    int CrowdInstances,
    IReadOnlyList<CategoryCount> Categories,
    IReadOnlyList<BoxSizeBin> CocoSizes,
    IReadOnlyList<BoxSizeBin> SideHistogram)
{
    // COCO's evaluation ranges use box/segment area in pixels: [0, 32²), [32², 96²), [96², inf).
    private const double SmallArea = 32 * 32;
    private const double MediumArea = 96 * 96;

    // Side-length bin edges: 0, 8, 16, ..., 1024, then one open bin; covers thumbnails to 4K-sized boxes.
    private static readonly double[] SideEdges = [0, 8, 16, 32, 64, 128, 256, 512, 1024];

    /// <summary>Counts over every record of <paramref name="dataset"/>.</summary>
    public static DatasetStatistics Of(ImageDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var names = dataset.Categories.ToDictionary(c => c.Id, c => c.Name);
        var instances = new Dictionary<int, int>();
        var images = new Dictionary<int, int>();
        foreach (int id in names.Keys) (instances[id], images[id]) = (0, 0);
        int[] coco = new int[3];
        int[] sides = new int[SideEdges.Length];
        int total = 0, crowd = 0, unannotated = 0;
        foreach (var record in dataset.Records)
        {
            if (record.Instances.Count == 0) unannotated++;
            foreach (int id in record.Instances.Select(i => i.CategoryId).Distinct()) images[id] = images.GetValueOrDefault(id) + 1;
            foreach (var instance in record.Instances)
            {
                total++;
                instances[instance.CategoryId] = instances.GetValueOrDefault(instance.CategoryId) + 1;
                if (instance.IsCrowd) { crowd++; continue; }
                double area = Math.Max(0, instance.Box.Width) * Math.Max(0, instance.Box.Height);
                coco[area < SmallArea ? 0 : area < MediumArea ? 1 : 2]++;
                sides[BinOf(Math.Sqrt(area))]++;
            }
        }
        var categories = instances.Keys.Order()
            .Select(id => new CategoryCount(id, names.GetValueOrDefault(id, "?"), images.GetValueOrDefault(id), instances[id])).ToList();
        BoxSizeBin[] cocoBins = [new("small (< 32²)", coco[0]), new("medium (32²-96²)", coco[1]), new("large (>= 96²)", coco[2])];
        var sideBins = sides.Select((count, b) => new BoxSizeBin(
            b + 1 < SideEdges.Length ? $"[{SideEdges[b]:0}, {SideEdges[b + 1]:0})" : $">= {SideEdges[b]:0}", count)).ToList();
        return new DatasetStatistics(dataset.Records.Count, unannotated, total, crowd, categories, cocoBins, sideBins);
    }

    private static int BinOf(double side)
    {
        int bin = 0;
        while (bin + 1 < SideEdges.Length && side >= SideEdges[bin + 1]) bin++;
        return bin;
    }
}

/// <summary>Images that contain a category, and its instances.</summary>
public sealed record CategoryCount(int Id, string Name, int Images, int Instances);

/// <summary>One bin of a box-size distribution.</summary>
public sealed record BoxSizeBin(string Label, int Count);
