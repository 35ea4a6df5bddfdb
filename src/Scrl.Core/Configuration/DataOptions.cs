using System.Text.Json.Serialization;

namespace Scrl.Core.Configuration;

[JsonConverter(typeof(JsonStringEnumConverter<DataFormat>))]
public enum DataFormat { ImageFolder, Coco, Shards }

/// <summary>Where pretraining images come from and how they are fed.</summary>
public sealed record DataOptions
{
    /// <summary>An image folder, a COCO root (<c>annotations/instances_{split}2017.json</c>, <c>{split}2017/</c>), or a
    /// shard folder holding <c>index.json</c> (written by <c>scrl shard</c>).
    /// Empty: the entry point supplies a default (the CLI generates the synthetic shapes dataset).</summary>
    public string Source { get; init; } = "";
    public DataFormat Format { get; init; } = DataFormat.ImageFolder;
    /// <summary>For COCO sources: the split whose images are used.</summary>
    public string Split { get; init; } = "train";
    public int DecodeWorkers { get; init; } = 2;
    public int PrefetchBatches { get; init; } = 2;
    public bool DropLast { get; init; } = true;

    public IReadOnlyList<ValidationError> Validate(string path)
    {
        var errors = new List<ValidationError>();
        if (DecodeWorkers < 1) errors.Add(new($"{path}.decodeWorkers", $"must be >= 1, was {DecodeWorkers}"));
        if (PrefetchBatches < 1) errors.Add(new($"{path}.prefetchBatches", $"must be >= 1, was {PrefetchBatches}"));
        if (string.IsNullOrWhiteSpace(Split)) errors.Add(new($"{path}.split", "must not be empty"));
        return errors;
    }
}
