using Scrl.Core.Data.Datasets;

namespace Scrl.Core.Data.Shards;

/// <summary>
/// The <c>{key}.json</c> member of a shard sample: everything known about the image, self-contained so a sample can
/// be used without the index. <see cref="Categories"/> lists (sorted by id) the categories its instances use.
/// </summary>
public sealed record ShardAnnotation(
    string ImageId,
    string FileName,
    int Width,
    int Height,
    IReadOnlyList<DatasetInstance> Instances,
    IReadOnlyList<DatasetCategory> Categories)
{
    /// <summary>The annotation of <paramref name="record"/>, naming the categories (from <paramref name="categories"/>) that it uses.</summary>
    public static ShardAnnotation Of(DatasetRecord record, IReadOnlyDictionary<int, DatasetCategory> categories)
    {
        ArgumentNullException.ThrowIfNull(record);
        var used = record.Instances.Select(i => i.CategoryId).Distinct().Order()
            .Select(id => categories.TryGetValue(id, out var c) ? c : throw new InvalidDataException(
                $"Image {record.ImageId} ({record.ImagePath}) uses category {id}, which the dataset does not list; validate it first."))
            .ToList();
        return new ShardAnnotation(record.ImageId, record.FileName, record.Width, record.Height, record.Instances, used);
    }
}
