using System.Globalization;

namespace Scrl.Cli.Commands;

/// <summary>Sizes on the command line: <c>256MB</c>, <c>64MiB</c>, <c>1G</c>, <c>4096</c>. Units are binary (1 MB = 2^20 bytes), as for the shard-size default.</summary>
public static class ByteSize
{
    private static readonly (string Suffix, long Factor)[] Units =
    [
        ("GiB", 1L << 30), ("GB", 1L << 30), ("G", 1L << 30),
        ("MiB", 1L << 20), ("MB", 1L << 20), ("M", 1L << 20),
        ("KiB", 1L << 10), ("KB", 1L << 10), ("K", 1L << 10),
        ("B", 1),
    ];

    /// <summary>Bytes in <paramref name="text"/>; null when it is not a positive size.</summary>
    public static long? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        var (suffix, factor) = Units.FirstOrDefault(u => text.EndsWith(u.Suffix, StringComparison.OrdinalIgnoreCase), ("", 1));
        string number = text[..^suffix.Length].Trim();
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value) || value <= 0) return null;
        double bytes = value * factor;
        return bytes < long.MaxValue ? (long)bytes : null;
    }

    /// <summary><paramref name="bytes"/> in the largest binary unit that keeps the number at least 1: <c>12.3 MiB</c>.</summary>
    public static string Format(long bytes)
    {
        string[] names = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit + 1 < names.Length) (value, unit) = (value / 1024, unit + 1);
        return unit == 0 ? $"{bytes} B" : string.Create(CultureInfo.InvariantCulture, $"{value:F1} {names[unit]}");
    }
}
