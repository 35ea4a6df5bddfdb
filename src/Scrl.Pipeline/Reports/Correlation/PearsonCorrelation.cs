namespace Scrl.Pipeline.Reports.Correlation;

/// <summary>Pearson's product-moment correlation, with a seeded percentile-bootstrap interval over paired resamples.</summary>
public static class PearsonCorrelation
{
    /// <summary>r of the pairs (x[i], y[i]); NaN when either side has no spread (as SciPy, which also warns).</summary>
    public static double R(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        PointChecks.Validate(x, y, 2);
        return RUnchecked(x, y, Enumerable.Range(0, x.Count).ToArray());
    }

    /// <summary>
    /// Percentile bootstrap: <paramref name="resamples"/> draws of n pairs with replacement from a
    /// <see cref="Random"/> seeded with <paramref name="seed"/>, r of each, then the (1 ± confidence)/2 quantiles
    /// (linear interpolation, NumPy's default). Draws whose x or y has no spread have no r and are counted, not used.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than 3 points, or every draw degenerate.</exception>
    public static BootstrapInterval Bootstrap(IReadOnlyList<double> x, IReadOnlyList<double> y, int resamples = 10_000, int seed = 0,
                                              double confidence = 0.95)
    {
        PointChecks.Validate(x, y, 3);
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 100);
        if (confidence is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "must be in (0, 1)");
        var random = new Random(seed);
        int n = x.Count;
        var index = new int[n];
        var values = new List<double>(resamples);
        for (int b = 0; b < resamples; b++)
        {
            for (int i = 0; i < n; i++) index[i] = random.Next(n);
            double r = RUnchecked(x, y, index);
            if (double.IsFinite(r)) values.Add(r);
        }
        if (values.Count == 0) throw new ArgumentException("every bootstrap draw repeated one point; the points are too few or too alike");
        values.Sort();
        double alpha = 1 - confidence;
        return new BootstrapInterval(Quantile(values, alpha / 2), Quantile(values, 1 - alpha / 2), confidence, resamples,
                                     resamples - values.Count, seed);
    }

    private static double RUnchecked(IReadOnlyList<double> x, IReadOnlyList<double> y, int[] index)
    {
        double meanX = 0, meanY = 0;
        foreach (int i in index)
        {
            meanX += x[i];
            meanY += y[i];
        }
        meanX /= index.Length;
        meanY /= index.Length;
        double sxx = 0, syy = 0, sxy = 0;
        foreach (int i in index)
        {
            double dx = x[i] - meanX, dy = y[i] - meanY;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }
        if (sxx == 0 || syy == 0) return double.NaN;
        return Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1);
    }

    // NumPy's default ("linear") percentile of sorted values.
    private static double Quantile(List<double> sorted, double q)
    {
        double position = q * (sorted.Count - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
