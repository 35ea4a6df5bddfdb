using System.Globalization;

namespace Scrl.Charts;

/// <summary>An axis range widened to round numbers, with the tick values inside it and their labels.</summary>
/// <param name="Min">Lower end of the axis (a tick value).</param>
/// <param name="Max">Upper end of the axis (a tick value).</param>
/// <param name="Values">Tick values, ascending, from <paramref name="Min"/> to <paramref name="Max"/>.</param>
/// <param name="Labels">One short label per tick.</param>
public sealed record AxisTicks(double Min, double Max, IReadOnlyList<double> Values, IReadOnlyList<string> Labels)
{
    /// <summary>
    /// Linear ticks spaced 1, 2 or 5 times a power of ten, about <paramref name="targetCount"/> of them, covering
    /// [<paramref name="dataMin"/>, <paramref name="dataMax"/>]. A zero-width range (one point, a constant series) is
    /// widened around its value so the data sits mid-axis.
    /// </summary>
    public static AxisTicks Linear(double dataMin, double dataMax, int targetCount = 6)
    {
        RequireRange(dataMin, dataMax);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetCount, 2);
        if (dataMax == dataMin)
        {
            double pad = dataMin == 0 ? 1 : Math.Abs(dataMin) * 0.1;
            (dataMin, dataMax) = (dataMin - pad, dataMax + pad);
        }

        double step = NiceStep((dataMax - dataMin) / (targetCount - 1));
        double min = Math.Floor(dataMin / step) * step;
        double max = Math.Ceiling(dataMax / step) * step;
        int count = (int)Math.Round((max - min) / step) + 1;
        // Multiply rather than accumulate, so 0.1 + 0.1 + 0.1 rounding never shows up in a label.
        var values = Enumerable.Range(0, count).Select(i => Snap(min + i * step, step)).ToList();
        return new AxisTicks(values[0], values[^1], values, [.. values.Select(v => FormatLinear(v, step, max))]);
    }

    /// <summary>
    /// Log-scale ticks at powers of ten, adding 2× and 5× when the data spans at most two decades so a short axis
    /// still has several labels. Both ends must be positive.
    /// </summary>
    public static AxisTicks Log(double dataMin, double dataMax)
    {
        RequireRange(dataMin, dataMax);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dataMin);
        int lowDecade = (int)Math.Floor(Math.Log10(dataMin));
        int highDecade = Math.Max((int)Math.Ceiling(Math.Log10(dataMax)), lowDecade + 1);
        bool fine = highDecade - lowDecade <= 2;

        var values = new List<double>();
        for (int decade = lowDecade; decade <= highDecade; decade++)
        {
            double power = Math.Pow(10, decade);
            values.Add(power);
            if (fine && decade < highDecade) values.AddRange([2 * power, 5 * power]);
        }
        return new AxisTicks(values[0], values[^1], values, [.. values.Select(v => v.ToString("G3", CultureInfo.InvariantCulture))]);
    }

    /// <summary>The smallest of 1, 2, 5, 10 times a power of ten that is at least <paramref name="rough"/>.</summary>
    internal static double NiceStep(double rough)
    {
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double fraction = rough / magnitude;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    private static double Snap(double value, double step)
    {
        double snapped = Math.Round(value / step) * step;
        return Math.Abs(snapped) < step * 1e-9 ? 0 : snapped;   // no "-0"
    }

    private static string FormatLinear(double value, double step, double max)
    {
        // Scientific only where fixed notation would be long: tiny steps (1e-5 learning rates) or huge values.
        if (step < 1e-4 || Math.Abs(max) >= 1e7) return value.ToString("0.##E+0", CultureInfo.InvariantCulture);
        int decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step) + 1e-9));
        return value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private static void RequireRange(double min, double max)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || min > max)
            throw new ArgumentException($"Axis range must be finite with min <= max; got [{min}, {max}].");
    }
}
