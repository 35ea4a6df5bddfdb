namespace Scrl.Core.Data.Datasets;

/// <summary>A category id and its name.</summary>
public sealed record DatasetCategory(int Id, string Name);

/// <summary>
/// A dataset as a list of records in a stable order (each reader documents its sort key) plus its categories.
/// Shards keep this order, so the same source always gives the same shards.
/// </summary>
/// <param name="Description">Where it was read from, for messages.</param>
public sealed record ImageDataset(string Description, IReadOnlyList<DatasetCategory> Categories, IReadOnlyList<DatasetRecord> Records);
