using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Scrl.Core.IO;

/// <summary>
/// Writes doubles into json byte for byte as <see cref="Utf8JsonWriter.WriteNumberValue(double)"/> does (the shortest
/// text that reads back as the same double), and reads them as <see cref="Utf8JsonReader.GetDouble"/> does, but handles
/// the common case itself: coordinates with a few decimals, like COCO's polygons. The general shortest-round-trip
/// search was a third of the time spent writing shard annotations; the general parser was the largest single cost of
/// reading a COCO instances file.
/// </summary>
internal static class JsonDoubles
{
    // Below this, neighbouring doubles are less than 1.2e-7 apart (so a text 0.01 away never reads back as the same
    // double), and the writer prints values from 0.01 up without an exponent.
    private const double Limit = 1e9;

    // 10^15 < 2^53: every integer of up to 15 digits is an exact double; 10^22 is the largest exact power of ten.
    private const int MaxExactDigits = 15;
    private const int MaxExactPowerOfTen = 22;

    private static readonly double[] PowersOfTen =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    /// <summary>Writes <paramref name="value"/> as the writer's number value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // millions of calls in a short process: skip the slow first tier
    public static void Write(Utf8JsonWriter writer, double value)
    {
        Span<byte> text = stackalloc byte[16];
        // Raw values are not indented, so an indented writer formats every number itself.
        if (!writer.Options.Indented && TryFormatHundredths(value, text, out int length)) writer.WriteRawValue(text[..length], skipInputValidation: true);
        else writer.WriteNumberValue(value);
    }

    /// <summary>
    /// The shortest text of <paramref name="value"/> when it is the double nearest to n/100 for an integer n and
    /// |value| is below 1e9: n's digits with the decimal point two places from the right, trailing zeros dropped.
    /// Any other text with as few decimals or fewer lies 0.01 or more from n/100, so it reads back as another double.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool TryFormatHundredths(double value, Span<byte> destination, out int written)
    {
        written = 0;
        if (!(Math.Abs(value) < Limit) || (value == 0 && double.IsNegative(value))) return false;   // NaN, large, and -0 ("-0") go the long way
        long hundredths = (long)Math.Round(value * 100);
        if (hundredths / 100.0 != value) return false;   // division is correctly rounded: equal means n/100 reads back as value
        if (hundredths < 0) destination[written++] = (byte)'-';
        ulong magnitude = (ulong)Math.Abs(hundredths);
        Utf8Formatter.TryFormat(magnitude / 100, destination[written..], out int integerDigits);
        written += integerDigits;
        int fraction = (int)(magnitude % 100);
        if (fraction == 0) return true;
        destination[written++] = (byte)'.';
        destination[written++] = (byte)('0' + fraction / 10);
        if (fraction % 10 != 0) destination[written++] = (byte)('0' + fraction % 10);
        return true;
    }

    /// <summary>The current number token as a double: the same value <see cref="Utf8JsonReader.GetDouble"/> returns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Read(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && !reader.HasValueSequence && TryParseDecimal(reader.ValueSpan, out double value)
            ? value
            : reader.GetDouble();

    /// <summary>
    /// Parses <c>-?digits(.digits)?</c> with at most 15 significant digits and 22 decimals; false for anything else
    /// (exponents, longer numbers), which the general parser takes. Such a number is m / 10^k with m and 10^k both exact
    /// doubles, so one correctly rounded division gives the correctly rounded value (Clinger's fast path).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool TryParseDecimal(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        bool negative = !text.IsEmpty && text[0] == (byte)'-';
        if (text.Length == (negative ? 1 : 0)) return false;
        long mantissa = 0;
        int digits = 0, decimals = -1;   // decimals stays -1 without a decimal point
        for (int i = negative ? 1 : 0; i < text.Length; i++)
        {
            uint digit = (uint)(text[i] - '0');
            if (digit <= 9)
            {
                if (digits == MaxExactDigits) return false;
                mantissa = mantissa * 10 + digit;
                if (mantissa != 0) digits++;   // the leading zeros of 0.0042 take no precision
                if (decimals >= 0) decimals++;
            }
            else if (text[i] == (byte)'.' && decimals < 0)
            {
                decimals = 0;
            }
            else
            {
                return false;
            }
        }
        if (decimals is 0 or > MaxExactPowerOfTen) return false;
        double magnitude = decimals > 0 ? mantissa / PowersOfTen[decimals] : mantissa;
        value = negative ? -magnitude : magnitude;
        return true;
    }
}
