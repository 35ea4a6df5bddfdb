using MathNet.Numerics.Distributions;

namespace Scrl.Pipeline.Reports.Correlation;

/// <summary>
/// Ordinary least squares y = <see cref="Intercept"/> + <see cref="Slope"/> x (SciPy's <c>linregress</c>), with the
/// confidence band of the fitted mean: ŷ(x) ± t(1 - α/2, n - 2) · s · √(1/n + (x - x̄)² / Sxx), s² = SSE / (n - 2).
/// </summary>
/// <param name="MeanX">x̄.</param>
/// <param name="SumSquaresX">Sxx = Σ(x - x̄)².</param>
/// <param name="ResidualStd">s, the residual standard deviation on n - 2 degrees of freedom.</param>
/// <param name="TCritical">Student's t quantile at (1 + <see cref="Confidence"/>) / 2 with n - 2 degrees of freedom.</param>
public sealed record LinearFit(int Count, double Slope, double Intercept, double MeanX, double SumSquaresX, double ResidualStd,
                               double Confidence, double TCritical)
{
    /// <summary>The fewest points a band can be drawn from: two for the line, one more for the residual variance.</summary>
    public const int MinimumPoints = 3;

    /// <exception cref="ArgumentException">Fewer than <see cref="MinimumPoints"/> points, unequal lengths, non-finite
    /// values, or all x equal (no line).</exception>
    public static LinearFit Of(IReadOnlyList<double> x, IReadOnlyList<double> y, double confidence = 0.95)
    {
        PointChecks.Validate(x, y, MinimumPoints);
        if (confidence is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "must be in (0, 1)");
        int n = x.Count;
        double meanX = x.Average(), meanY = y.Average();
        double sxx = 0, sxy = 0;
        for (int i = 0; i < n; i++)
        {
            sxx += (x[i] - meanX) * (x[i] - meanX);
            sxy += (x[i] - meanX) * (y[i] - meanY);
        }
        if (sxx == 0) throw new ArgumentException("every x is the same value; no line can be fitted", nameof(x));
        double slope = sxy / sxx, intercept = meanY - slope * meanX;
        double sse = 0;
        for (int i = 0; i < n; i++)
        {
            double residual = y[i] - (intercept + slope * x[i]);
            sse += residual * residual;
        }
        double t = StudentT.InvCDF(0, 1, n - 2, (1 + confidence) / 2);
        return new LinearFit(n, slope, intercept, meanX, sxx, Math.Sqrt(sse / (n - 2)), confidence, t);
    }

    public double Predict(double x) => Intercept + Slope * x;

    /// <summary>The confidence interval of the fitted mean at <paramref name="x"/>.</summary>
    public (double Low, double High) Band(double x)
    {
        double half = TCritical * ResidualStd * Math.Sqrt(1.0 / Count + (x - MeanX) * (x - MeanX) / SumSquaresX);
        double fitted = Predict(x);
        return (fitted - half, fitted + half);
    }
}
