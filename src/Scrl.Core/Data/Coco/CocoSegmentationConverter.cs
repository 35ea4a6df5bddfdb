using System.Text.Json;
using System.Text.Json.Serialization;
using Scrl.Core.IO;

namespace Scrl.Core.Data.Coco;

/// <summary>
/// Reads and writes <see cref="CocoSegmentation"/> in COCO's two shapes: a json array of polygons, or an object
/// <c>{"size": [h, w], "counts": "..." | [n, ...]}</c>. Keys are fixed by COCO, whatever the context's naming policy.
/// </summary>
public sealed class CocoSegmentationConverter : JsonConverter<CocoSegmentation>
{
    public override CocoSegmentation Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.StartArray => CocoSegmentation.FromPolygons(ReadPolygons(ref reader)),
            JsonTokenType.StartObject => CocoSegmentation.FromRle(ReadRle(ref reader)),
            _ => throw new JsonException($"A COCO segmentation must be a polygon list or an RLE object, found {reader.TokenType}."),
        };

    public override void Write(Utf8JsonWriter writer, CocoSegmentation value, JsonSerializerOptions options)
    {
        if (value.Polygons is { } polygons)
        {
            writer.WriteStartArray();
            foreach (var polygon in polygons)
            {
                writer.WriteStartArray();
                foreach (double v in polygon) JsonDoubles.Write(writer, v);   // polygons are most of a shard annotation's bytes
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
            return;
        }
        var rle = value.Rle!;
        writer.WriteStartObject();
        writer.WriteStartArray("size");
        writer.WriteNumberValue(rle.Height);
        writer.WriteNumberValue(rle.Width);
        writer.WriteEndArray();
        if (rle.CompressedCounts is { } compressed)
        {
            writer.WriteString("counts", compressed);
        }
        else
        {
            writer.WriteStartArray("counts");
            foreach (int run in rle.Counts ?? []) writer.WriteNumberValue(run);
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    // Each polygon is kept as an array of its exact size: a whole COCO file holds tens of millions of coordinates.
    private static List<IReadOnlyList<double>> ReadPolygons(ref Utf8JsonReader reader)
    {
        var polygons = new List<IReadOnlyList<double>>(1);
        var coordinates = new List<double>(64);
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            Expect(ref reader, JsonTokenType.StartArray, "polygon");
            coordinates.Clear();
            while (Next(ref reader) != JsonTokenType.EndArray) coordinates.Add(JsonDoubles.Read(ref reader));
            polygons.Add(coordinates.ToArray());
        }
        return polygons;
    }

    private static CocoRle ReadRle(ref Utf8JsonReader reader)
    {
        int[]? size = null;
        string? compressed = null;
        List<int>? counts = null;
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            string key = reader.GetString()!;
            Next(ref reader);
            switch (key)
            {
                case "size":
                    size = ReadInts(ref reader).ToArray();
                    break;
                case "counts" when reader.TokenType == JsonTokenType.String:
                    compressed = reader.GetString();
                    break;
                case "counts":
                    counts = ReadInts(ref reader);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        if (size is not [var height, var width]) throw new JsonException("An RLE segmentation needs \"size\": [height, width].");
        if (compressed is null && counts is null) throw new JsonException("An RLE segmentation needs \"counts\".");
        return new CocoRle(height, width, compressed, counts);
    }

    private static List<int> ReadInts(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartArray, "integer list");
        var values = new List<int>();
        while (Next(ref reader) != JsonTokenType.EndArray) values.Add(reader.GetInt32());
        return values;
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException("Unexpected end of json inside a segmentation.");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
    {
        if (reader.TokenType != type) throw new JsonException($"Expected a {what} in a segmentation, found {reader.TokenType}.");
    }
}
