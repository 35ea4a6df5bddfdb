using System.Globalization;
using System.Numerics;

namespace Scrl.Detection.Evaluation;

/// <summary>
/// Python's <c>'{:.Nf}'.format(x)</c>: the exact binary value rounded half to even. .NET's "F" format rounds exact
/// ties (0.5625 to three places, 10.25 to one) away from zero, which would change printed summaries and the
/// detection text files detectron2's VOC evaluator reads back.
/// </summary>
internal static class PythonFormat
{
    public static string Fixed(double value, int digits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(digits);
        if (!double.IsFinite(value)) return value.ToString(CultureInfo.InvariantCulture).ToLowerInvariant();
        long bits = BitConverter.DoubleToInt64Bits(value);
        bool negative = bits < 0;
        int exponent = (int)((bits >> 52) & 0x7FF);
        long fraction = bits & 0xFFFFFFFFFFFFFL;
        BigInteger mantissa = exponent == 0 ? fraction : fraction | (1L << 52);
        int power = (exponent == 0 ? 1 : exponent) - 1075;                // |value| = mantissa * 2^power

        BigInteger scaled = mantissa * BigInteger.Pow(10, digits);        // |value| * 10^digits = scaled * 2^power
        BigInteger units;
        if (power >= 0) units = scaled << power;
        else
        {
            BigInteger denominator = BigInteger.One << -power;
            units = BigInteger.DivRem(scaled, denominator, out BigInteger remainder);
            int half = (remainder * 2).CompareTo(denominator);
            if (half > 0 || (half == 0 && !units.IsEven)) units += 1;
        }

        string text = units.ToString(CultureInfo.InvariantCulture).PadLeft(digits + 1, '0');
        if (digits > 0) text = text[..^digits] + "." + text[^digits..];
        return negative ? "-" + text : text;
    }
}
