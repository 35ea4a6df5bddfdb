using Scrl.Detection.Evaluation;

namespace Scrl.Detection.Tests.Evaluation;

/// <summary>Expected strings were printed by Python's '%.Nf' (exact value, ties to even).</summary>
public sealed class PythonFormatTests
{
    [Theory]
    [InlineData(0.5625, 3, "0.562")]      // exact tie: .NET's "F3" gives 0.563
    [InlineData(0.1235, 3, "0.123")]      // binary value lies below the tie
    [InlineData(10.25, 1, "10.2")]
    [InlineData(10.75, 1, "10.8")]
    [InlineData(-0.0004, 3, "-0.000")]
    [InlineData(2.0005, 3, "2.001")]
    [InlineData(-1.0, 3, "-1.000")]
    [InlineData(0.8999999999999999, 2, "0.90")]
    public void Fixed_MatchesPythonFormatting(double value, int digits, string python)
    {
        Assert.Equal(python, PythonFormat.Fixed(value, digits));
    }
}
