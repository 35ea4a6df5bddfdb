using System.Text.Json;
using System.Text.Json.Serialization;
using Scrl.Core.Data.Coco;

namespace Scrl.Detection.Evaluation;

/// <summary>A results entry's <c>segmentation</c>: an RLE object <c>{"size": [h, w], "counts": "..."}</c>, never polygons.</summary>
public sealed class CocoRleJsonConverter : JsonConverter<CocoRle>
{
    private static readonly CocoSegmentationConverter Segmentation = new();

    public override CocoRle Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Segmentation.Read(ref reader, typeof(CocoSegmentation), options).Rle
        ?? throw new JsonException("A results segmentation must be an RLE object {\"size\": [h, w], \"counts\": \"...\"}, not polygons.");

    public override void Write(Utf8JsonWriter writer, CocoRle value, JsonSerializerOptions options) =>
        Segmentation.Write(writer, CocoSegmentation.FromRle(value), options);
}
