using System.Text.Json;
using System.Text.Json.Serialization;
using Scrl.Core.IO;

namespace Scrl.Core.Data.Datasets;

/// <summary>An axis-aligned box (x1, y1, x2, y2) in absolute pixels; serialized as the array [x1, y1, x2, y2].</summary>
[JsonConverter(typeof(BoxXyxyConverter))]
public readonly record struct BoxXyxy(double X1, double Y1, double X2, double Y2)
{
    public double Width => X2 - X1;
    public double Height => Y2 - Y1;

    /// <summary>From COCO's [x, y, width, height].</summary>
    public static BoxXyxy FromXywh(double x, double y, double width, double height) => new(x, y, x + width, y + height);

    public override string ToString() => FormattableString.Invariant($"[{X1}, {Y1}, {X2}, {Y2}]");
}

/// <summary>Writes <see cref="BoxXyxy"/> as a four-number array, the form every detection json uses.</summary>
public sealed class BoxXyxyConverter : JsonConverter<BoxXyxy>
{
    public override BoxXyxy Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("A box must be an array [x1, y1, x2, y2].");
        Span<double> v = stackalloc double[4];
        int n = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (n == 4) throw new JsonException("A box has more than 4 numbers.");
            v[n++] = reader.GetDouble();
        }
        if (n != 4) throw new JsonException($"A box needs 4 numbers, found {n}.");
        return new BoxXyxy(v[0], v[1], v[2], v[3]);
    }

    public override void Write(Utf8JsonWriter writer, BoxXyxy value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        JsonDoubles.Write(writer, value.X1);
        JsonDoubles.Write(writer, value.Y1);
        JsonDoubles.Write(writer, value.X2);
        JsonDoubles.Write(writer, value.Y2);
        writer.WriteEndArray();
    }
}
