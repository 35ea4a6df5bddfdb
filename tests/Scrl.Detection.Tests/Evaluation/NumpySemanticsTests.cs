using Scrl.Detection.Evaluation;

namespace Scrl.Detection.Tests.Evaluation;

/// <summary>Expected values were printed by numpy 1.24 (/usr/bin/python3).</summary>
public sealed class NumpySemanticsTests
{
    [Fact]
    public void Linspace_IouThresholds_EqualNumpyBitForBit()
    {
        double[] numpy = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.8999999999999999, 0.95];
        Assert.Equal(numpy, NumpySemantics.Linspace(0.5, 0.95, 10));
    }

    [Fact]
    public void Sum_HarmonicSeries_EqualsNumpyPairwiseNotNaiveSum()
    {
        var a = Enumerable.Range(0, 100_000).Select(i => 1.0 / (i + 1)).ToArray();
        Assert.Equal(12.090146129863433, NumpySemantics.Sum(a));          // np.sum(a)
        Assert.NotEqual(12.090146129863335, NumpySemantics.Sum(a));       // Python's sequential sum(a)
    }

    [Fact]
    public void StableArgsortDescending_Ties_KeepInputOrder()
    {
        Assert.Equal([1, 3, 0, 2, 4], NumpySemantics.StableArgsortDescending([0.5, 0.9, 0.5, 0.9, 0.1]));
    }

    [Theory]
    [InlineData(0.2, 0)]
    [InlineData(0.3, 1)]
    [InlineData(0.5, 1)]
    [InlineData(0.50000001, 3)]
    [InlineData(2.0, 4)]
    public void SearchSortedLeft_FindsFirstElementNotBelow(double value, int expected)
    {
        Assert.Equal(expected, NumpySemantics.SearchSortedLeft([0.25, 0.5, 0.5, 1.0], value));
    }
}
