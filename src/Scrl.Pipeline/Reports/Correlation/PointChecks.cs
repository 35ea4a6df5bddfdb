namespace Scrl.Pipeline.Reports.Correlation;

/// <summary>The input checks every statistic here shares.</summary>
internal static class PointChecks
{
    public static void Validate(IReadOnlyList<double> x, IReadOnlyList<double> y, int minimum)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException($"x has {x.Count} values but y has {y.Count}; they must pair up");
        if (x.Count < minimum) throw new ArgumentException($"needs at least {minimum} points, got {x.Count}");
        if (x.Concat(y).Any(v => !double.IsFinite(v))) throw new ArgumentException("every value must be finite");
    }
}
