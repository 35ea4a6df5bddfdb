using Scrl.Core.Optim;

namespace Scrl.Core.Tests.Optim;

public sealed class EmaScheduleTests
{
    [Theory]
    [InlineData(0, 0.97)]                            // first update uses m_base exactly
    [InlineData(50, 0.985)]                          // halfway: cos = 0
    [InlineData(100, 1.0)]
    public void At_RisesFromBaseToOneOverTheRun(long step, double expected) =>
        Assert.Equal(expected, new EmaSchedule(0.97, totalSteps: 100).At(step), 12);

    [Fact]
    public void At_MatchesTheCosineFormulaBetweenPoints()
    {
        var schedule = new EmaSchedule(0.996, totalSteps: 31_400);
        Assert.Equal(1 - 0.004 * (Math.Cos(Math.PI * 1234 / 31_400.0) + 1) / 2, schedule.At(1234), 15);
    }
}
