using System.Text.Json.Serialization;

namespace Scrl.Pipeline.Specs;

/// <summary>How the source dataset is laid out.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DatasetFormat>))]
public enum DatasetFormat
{
    [JsonStringEnumMemberName("coco")] Coco,
    [JsonStringEnumMemberName("voc")] Voc,
    [JsonStringEnumMemberName("imagefolder")] ImageFolder,
    [JsonStringEnumMemberName("cityscapes")] Cityscapes,
}

/// <summary>Where the images to pretrain on live; the shard stage turns them into tar shards.</summary>
public sealed record DatasetSpec
{
    /// <summary>A URI (<c>https://</c> blob container or folder, <c>file://</c>) or a path the workers can read. Required.</summary>
    [JsonRequired]
    public string Source { get; init; } = "";

    /// <summary>Layout of <see cref="Source"/>. Default <c>coco</c>.</summary>
    public DatasetFormat Format { get; init; } = DatasetFormat.Coco;

    public IReadOnlyList<ValidationError> Validate(string path)
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(Source))
            errors.Add(new($"{path}.source", "is required: a URI or a path the workers can read"));
        else if (Source.Trim() != Source)
            errors.Add(new($"{path}.source", "must not start or end with whitespace"));
        else if (Uri.TryCreate(Source, UriKind.Absolute, out Uri? uri) && uri.Scheme is not ("https" or "http" or "file") && !Path.IsPathRooted(Source))
            errors.Add(new($"{path}.source", $"scheme '{uri.Scheme}' is not supported; use https, http, file or a path"));
        if (!Enum.IsDefined(Format))
            errors.Add(new($"{path}.format", $"is not a known format, was {(int)Format}"));
        return errors;
    }
}
