using Scrl.Core.Data.Datasets;

namespace Scrl.Core.Evaluation;

/// <summary>
/// Dataset category ids (COCO's, with gaps: 1..90 for 80 classes) to the head's contiguous class indices 0..K-1,
/// in ascending id order, and back. Built from the train split so val uses the same indices.
/// </summary>
public sealed class CategoryMap
{
    private readonly Dictionary<int, int> _indexById;

    public CategoryMap(IReadOnlyList<DatasetCategory> categories)
    {
        ArgumentNullException.ThrowIfNull(categories);
        if (categories.Count < 2) throw new ArgumentException($"a classifier needs at least 2 categories, got {categories.Count}", nameof(categories));
        Categories = [.. categories.OrderBy(c => c.Id)];
        _indexById = new Dictionary<int, int>(Categories.Count);
        for (int i = 0; i < Categories.Count; i++)
            if (!_indexById.TryAdd(Categories[i].Id, i))
                throw new ArgumentException($"category id {Categories[i].Id} appears twice", nameof(categories));
    }

    /// <summary>Categories in class-index order.</summary>
    public IReadOnlyList<DatasetCategory> Categories { get; }

    public int Count => Categories.Count;

    /// <summary>The class index of a category id; throws for an id the map does not know.</summary>
    public int IndexOf(int categoryId) => _indexById.TryGetValue(categoryId, out int index)
        ? index
        : throw new InvalidDataException($"category id {categoryId} is not among the train split's categories");

    /// <summary>The category (COCO id and name) of a class index.</summary>
    public DatasetCategory CategoryAt(int index) => Categories[index];
}
