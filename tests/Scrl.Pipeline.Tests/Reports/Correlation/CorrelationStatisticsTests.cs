using Scrl.Pipeline.Reports.Correlation;

namespace Scrl.Pipeline.Tests.Reports.Correlation;

public sealed class CorrelationStatisticsTests
{
    public static TheoryData<string> Protocols => new() { "roi-eval.top1", "linear-eval.top1" };

    [Theory]
    [MemberData(nameof(Protocols))]
    public void PearsonAndLinearFit_FixturePoints_MatchScipy(string metric)
    {
        var (x, y) = CorrelationFixture.Series(metric);
        var expected = CorrelationFixture.Expected(metric);

        double r = PearsonCorrelation.R(x, y);
        var fit = LinearFit.Of(x, y);

        Assert.Equal(expected.GetProperty("r").GetDouble(), r, 1e-12);
        Assert.Equal(expected.GetProperty("slope").GetDouble(), fit.Slope, 1e-9);
        Assert.Equal(expected.GetProperty("intercept").GetDouble(), fit.Intercept, 1e-9);
        Assert.Equal(expected.GetProperty("t").GetDouble(), fit.TCritical, 1e-9);
        Assert.Equal(expected.GetProperty("residualStd").GetDouble(), fit.ResidualStd, 1e-12);
        foreach (var point in expected.GetProperty("band").EnumerateArray())
        {
            var (low, high) = fit.Band(point.GetProperty("x").GetDouble());
            Assert.Equal(point.GetProperty("low").GetDouble(), low, 1e-9);
            Assert.Equal(point.GetProperty("high").GetDouble(), high, 1e-9);
        }
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public void Bootstrap_FixturePoints_AgreesWithNumpyPercentileBootstrapWithinMonteCarloError(string metric)
    {
        var (x, y) = CorrelationFixture.Series(metric);
        var expected = CorrelationFixture.Expected(metric);

        var interval = PearsonCorrelation.Bootstrap(x, y, resamples: 20_000, seed: 0);

        // Different generators draw different resamples; 20,000 draws put each end within a few hundredths.
        Assert.Equal(expected.GetProperty("bootstrapLow").GetDouble(), interval.Low, 0.03);
        Assert.Equal(expected.GetProperty("bootstrapHigh").GetDouble(), interval.High, 0.06);
        Assert.InRange(PearsonCorrelation.R(x, y), interval.Low, interval.High);
    }

    [Fact]
    public void Bootstrap_SameSeed_SameInterval_OtherSeed_Differs()
    {
        var (x, y) = CorrelationFixture.Series("linear-eval.top1");

        var first = PearsonCorrelation.Bootstrap(x, y, resamples: 2_000, seed: 7);
        var again = PearsonCorrelation.Bootstrap(x, y, resamples: 2_000, seed: 7);
        var other = PearsonCorrelation.Bootstrap(x, y, resamples: 2_000, seed: 8);

        Assert.Equal(first, again);
        Assert.NotEqual((first.Low, first.High), (other.Low, other.High));
    }

    [Fact]
    public void Bootstrap_PointsOnALine_IntervalIsOne()
    {
        double[] x = [0.1, 0.2, 0.3, 0.4, 0.5];
        double[] y = [.. x.Select(v => 3 * v + 1)];

        var interval = PearsonCorrelation.Bootstrap(x, y, resamples: 1_000);

        Assert.Equal(1.0, interval.Low, 1e-12);
        Assert.Equal(1.0, interval.High, 1e-12);
        Assert.True(interval.Degenerate > 0, "with five points some draws repeat one point and must be left out");
    }

    [Fact]
    public void LinearFit_TwoPointsOrOneX_IsRefusedWithTheReason()
    {
        var tooFew = Assert.Throws<ArgumentException>(() => LinearFit.Of([0.1, 0.2], [1.0, 2.0]));
        Assert.Contains("at least 3 points", tooFew.Message);
        var noSpread = Assert.Throws<ArgumentException>(() => LinearFit.Of([0.5, 0.5, 0.5], [1.0, 2.0, 3.0]));
        Assert.Contains("every x is the same", noSpread.Message);
        var unpaired = Assert.Throws<ArgumentException>(() => PearsonCorrelation.R([0.1, 0.2, 0.3], [1.0, 2.0]));
        Assert.Contains("pair up", unpaired.Message);
    }
}
