using System.Text.Json;

namespace Scrl.Core.Data.Shards;

/// <summary>One sample read from a shard: its key, the encoded image exactly as stored, and its annotation json.</summary>
/// <param name="ImageExtension"><c>jpg</c> or <c>png</c>.</param>
public sealed record ShardSample(string Key, string ImageExtension, byte[] Image, byte[] AnnotationJson)
{
    /// <summary>Parses <see cref="AnnotationJson"/>.</summary>
    public ShardAnnotation ReadAnnotation() =>
        JsonSerializer.Deserialize(AnnotationJson, ShardJsonContext.Default.ShardAnnotation)
        ?? throw new InvalidDataException($"Sample {Key} has an empty annotation.");

    /// <summary>The sample's position in the dataset order, which its key encodes.</summary>
    public long Index => long.TryParse(Key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long i)
        ? i
        : throw new InvalidDataException($"Sample key '{Key}' is not a sample index; it was not written by {nameof(ShardWriter)}.");
}
