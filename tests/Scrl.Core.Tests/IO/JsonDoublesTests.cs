using System.Buffers;
using System.Text.Json;
using Scrl.Core.IO;

namespace Scrl.Core.Tests.IO;

/// <summary>The shortcuts must write exactly what Utf8JsonWriter.WriteNumberValue(double) writes, and read exactly what
/// Utf8JsonReader.GetDouble reads, for every value.</summary>
public sealed class JsonDoublesTests
{
    [Fact]
    public void Write_EveryHundredthUpTo20000_SameBytesAsTheWriter()
    {
        var values = new List<double>();
        for (long n = -2_000_000; n <= 2_000_000; n++) values.Add(n / 100.0);

        AssertSameAsWriter(values);
    }

    [Fact]
    public void Write_LargeHundredthsAndOtherDoubles_SameBytesAsTheWriter()
    {
        var random = new Random(3);
        var values = new List<double> { 0.0, -0.0, 1e-5, 0.005, 0.015, 999_999_999.99, 1e9, -1e9, 1e15, 1e-300, double.Epsilon, double.MaxValue, double.MinValue };
        for (int i = 0; i < 200_000; i++)
        {
            values.Add(random.NextInt64(-100_000_000_000, 100_000_000_000) / 100.0);   // up to 1e9, the shortcut's edge
            values.Add(random.NextInt64(-1_000_000, 1_000_000) / 1000.0);              // three decimals: the long way
            values.Add((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-8, 12)));
            values.Add(random.Next(0, 640) + random.Next(0, 100) / 100.0);            // x + w of two hundredths, as boxes are made
        }

        AssertSameAsWriter(values);
    }

    [Fact]
    public void TryFormatHundredths_TakesTheShortcutForHundredthsOnly()
    {
        Span<byte> text = stackalloc byte[16];

        Assert.True(JsonDoubles.TryFormatHundredths(239.97, text, out int length));
        Assert.Equal("239.97", System.Text.Encoding.ASCII.GetString(text[..length]));
        Assert.True(JsonDoubles.TryFormatHundredths(-0.5, text, out length));
        Assert.Equal("-0.5", System.Text.Encoding.ASCII.GetString(text[..length]));
        Assert.False(JsonDoubles.TryFormatHundredths(0.1 + 0.2, text, out _));
        Assert.False(JsonDoubles.TryFormatHundredths(double.NaN, text, out _));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Write_InArraysAndObjects_SameDocumentAsTheWriter(bool indented)
    {
        double[] values = [1.5, 240, 0.1 + 0.2, -3.07, 12.25];
        string Document(Action<Utf8JsonWriter, double> number)
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
            {
                writer.WriteStartObject();
                writer.WritePropertyName("a");
                number(writer, values[0]);
                writer.WriteStartArray("b");
                foreach (double v in values) number(writer, v);
                writer.WriteStartArray();
                number(writer, values[3]);
                writer.WriteEndArray();
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        }

        Assert.Equal(Document((w, v) => w.WriteNumberValue(v)), Document(JsonDoubles.Write));
    }

    [Fact]
    public void Read_EveryHundredthUpTo20000_SameDoubleAsTheReader()
    {
        var texts = new List<string>();
        for (long n = -2_000_000; n <= 2_000_000; n++) texts.Add((n / 100.0).ToString("R", System.Globalization.CultureInfo.InvariantCulture));

        AssertSameAsReader(texts);
    }

    [Fact]
    public void Read_NumbersOfEveryLengthAndForm_SameDoubleAsTheReader()
    {
        var random = new Random(5);
        var texts = new List<string> { "0", "-0", "0.0", "-0.0", "1", "0.5", "1e5", "1E-3", "-2.5e+2", "0.000000000000000000000001",
                                       "123456789012345", "1234567890123456", "12345678901234567890", "0.1234567890123456789",
                                       "9007199254740993", "179769313486231570000000000000000000000", "4.9e-324" };
        for (int i = 0; i < 200_000; i++)
        {
            // Up to 18 integer and 25 decimal digits, zeros after the point included: both sides of every limit.
            int integerDigits = random.Next(0, 19), decimals = random.Next(integerDigits == 0 ? 1 : 0, 26);
            var text = new System.Text.StringBuilder(random.Next(2) == 0 ? "-" : "");
            text.Append(integerDigits == 0 ? '0' : (char)('1' + random.Next(9)));
            for (int d = 1; d < integerDigits; d++) text.Append((char)('0' + random.Next(10)));
            if (decimals > 0) text.Append('.');
            for (int d = 0; d < decimals; d++) text.Append((char)('0' + (random.Next(3) == 0 ? 0 : random.Next(10))));
            texts.Add(text.ToString());
            texts.Add($"{random.Next(0, 640)}.{random.Next(0, 100):D2}");   // a COCO coordinate
        }

        AssertSameAsReader(texts);
    }

    [Fact]
    public void TryParseDecimal_TakesTheShortcutForShortDecimalsOnly()
    {
        static bool Parse(string text, out double value) => JsonDoubles.TryParseDecimal(System.Text.Encoding.ASCII.GetBytes(text), out value);

        Assert.True(Parse("371.31", out double value));
        Assert.Equal(371.31, value);
        Assert.True(Parse("-0", out value));
        Assert.True(double.IsNegative(value) && value == 0);
        Assert.True(Parse("0.000123456789012345", out value));   // 15 significant digits after the leading zeros
        Assert.False(Parse("1e5", out _));
        Assert.False(Parse("1234567890123456", out _));           // 16 digits: not always an exact double
        Assert.False(Parse("0.00000000000000000000001", out _));  // 23 decimals: 10^23 is not an exact double
        Assert.False(Parse("-", out _));
        Assert.False(Parse("", out _));
    }

    // Every text as a json number: JsonDoubles.Read must give the bits Utf8JsonReader.GetDouble gives.
    private static void AssertSameAsReader(List<string> texts)
    {
        byte[] json = System.Text.Encoding.ASCII.GetBytes("[" + string.Join(",", texts) + "]");
        var reference = new Utf8JsonReader(json);
        var shortcut = new Utf8JsonReader(json);
        reference.Read();
        shortcut.Read();
        for (int i = 0; reference.Read() && shortcut.Read() && reference.TokenType == JsonTokenType.Number; i++)
        {
            double want = reference.GetDouble(), got = JsonDoubles.Read(ref shortcut);
            if (BitConverter.DoubleToInt64Bits(want) != BitConverter.DoubleToInt64Bits(got))
                Assert.Fail($"{texts[i]}: the reader read {want:R}, the shortcut {got:R}");
        }
        Assert.Equal(JsonTokenType.EndArray, shortcut.TokenType);
    }

    private static void AssertSameAsWriter(List<double> values)
    {
        var expected = new ArrayBufferWriter<byte>();
        var actual = new ArrayBufferWriter<byte>();
        using (var reference = new Utf8JsonWriter(expected))
        using (var shortcut = new Utf8JsonWriter(actual))
        {
            reference.WriteStartArray();
            shortcut.WriteStartArray();
            foreach (double v in values)
            {
                reference.WriteNumberValue(v);
                JsonDoubles.Write(shortcut, v);
            }
            reference.WriteEndArray();
            shortcut.WriteEndArray();
        }
        if (expected.WrittenSpan.SequenceEqual(actual.WrittenSpan)) return;
        var want = JsonSerializer.Deserialize<JsonElement>(expected.WrittenSpan).EnumerateArray().Select(e => e.GetRawText()).ToList();
        var got = JsonSerializer.Deserialize<JsonElement>(actual.WrittenSpan).EnumerateArray().Select(e => e.GetRawText()).ToList();
        int i = want.Zip(got).TakeWhile(p => p.First == p.Second).Count();
        Assert.Fail($"value {values[i]:R}: the writer wrote {want[i]}, the shortcut {got[i]}");
    }
}
