using Scrl.Charts;

namespace Scrl.Core.Tests.Reporting;

public class AxisTicksTests
{
    [Theory]
    [InlineData(0.13, 0.87, new[] { "0.0", "0.2", "0.4", "0.6", "0.8", "1.0" })]
    [InlineData(3, 97, new[] { "0", "20", "40", "60", "80", "100" })]
    [InlineData(-3, 4, new[] { "-4", "-2", "0", "2", "4" })]
    [InlineData(0, 1234, new[] { "0", "500", "1000", "1500" })]
    [InlineData(1e-5, 4.2e-5, new[] { "1E-5", "2E-5", "3E-5", "4E-5", "5E-5" })]
    public void Linear_WidensToOneTwoFiveSteps(double min, double max, string[] labels)
    {
        var ticks = AxisTicks.Linear(min, max);

        Assert.Equal(labels, ticks.Labels);
        Assert.Equal(ticks.Values[0], ticks.Min);
        Assert.Equal(ticks.Values[^1], ticks.Max);
        Assert.True(ticks.Min <= min && ticks.Max >= max);
    }

    [Theory]
    [InlineData(5.0)]
    [InlineData(0.0)]
    [InlineData(-2e-4)]
    public void Linear_SinglePoint_SitsInsideAWiderAxis(double value)
    {
        var ticks = AxisTicks.Linear(value, value);

        Assert.True(ticks.Min < value && value < ticks.Max);
        Assert.InRange(ticks.Values.Count, 3, 12);
    }

    [Fact]
    public void Log_ShortSpan_AddsTwoAndFiveTimesEachDecade()
    {
        var ticks = AxisTicks.Log(0.02, 0.3);

        Assert.Equal(["0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1"], ticks.Labels);
    }

    [Fact]
    public void Log_LongSpan_PowersOfTenOnly()
    {
        var ticks = AxisTicks.Log(3e-4, 0.2);

        Assert.Equal([1e-4, 1e-3, 1e-2, 1e-1, 1], ticks.Values);
    }

    [Fact]
    public void InvalidRanges_Throw()
    {
        Assert.Throws<ArgumentException>(() => AxisTicks.Linear(double.NaN, 1));
        Assert.Throws<ArgumentException>(() => AxisTicks.Linear(2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => AxisTicks.Log(0, 1));
    }
}
