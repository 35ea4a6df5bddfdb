using SkiaSharp;

namespace Scrl.Charts;

/// <summary>The typeface charts draw text with.</summary>
/// <remarks>
/// The NoDependencies Skia build has no fontconfig: it scans <c>/usr/share/fonts</c> and its "default" is whatever
/// family it met first (a maths font on Debian images). So ask for a plain sans family by name first. With no fonts
/// installed at all, Skia hands out an empty typeface: lines and bars still render, text does not.
/// </remarks>
public static class ChartTypeface
{
    private static readonly string[] PreferredFamilies = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica"];

    private static readonly Lazy<SKTypeface> Resolved = new(Resolve);

    public static SKTypeface Regular => Resolved.Value;

    private static SKTypeface Resolve()
    {
        foreach (string family in PreferredFamilies)
        {
            if (SKFontManager.Default.MatchFamily(family) is { } typeface) return typeface;
        }
        return SKTypeface.Default;
    }
}
