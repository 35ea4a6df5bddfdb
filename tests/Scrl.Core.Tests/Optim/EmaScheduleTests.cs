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

    [Theory]
    [InlineData("short")]
    [InlineData("scrl_200ep")]
    [InlineData("scrl_1000ep")]
    [InlineData("odd_steps")]
    public void At_EqualsTheOfficialDecayAtEveryRecordedStep(string name)
    {
        var run = OfficialSchedules.Named(name);
        var schedule = new EmaSchedule(run.BaseEmaMomentum, (long)run.StepsPerEpoch * run.Epochs);
        foreach (var step in run.Steps)
            Assert.Equal(step.EmaMomentum, schedule.At(step.Index), 15);
    }
}
