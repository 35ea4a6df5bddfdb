using Scrl.Core.Optim;
using Xunit.Abstractions;

namespace Scrl.Core.Tests.Optim;

/// <summary>Rates against the official LinearWarmupScheduler + CosineAnnealingLR (golden/training/make_schedules.py).</summary>
public sealed class LrScheduleTests(ITestOutputHelper output)
{
    // The official scheduler sums 1/len(loader) once per step, so its epoch drifts from n/len(loader) by rounding;
    // the rates then differ by up to 1.25e-12 of the peak (scrl_1000ep, 157,000 steps; 2.7e-13 for scrl_200ep,
    // 4e-15 for the short runs). Four times the worst drift.
    private const double Tolerance = 5e-12;

    [Theory]
    [InlineData("short")]         // every step of 20 epochs at 10 steps, 5 warmup
    [InlineData("scrl_200ep")]    // config/scrl_200ep.yaml at 32 GPUs x 256: peak 14.4, 31,400 steps
    [InlineData("scrl_1000ep")]   // config/scrl_1000ep.yaml: peak 6.4, 157,000 steps
    [InlineData("odd_steps")]     // 7 steps per epoch: a fraction binary cannot hold
    public void At_EqualsTheOfficialSchedulerAtEveryRecordedStep(string name)
    {
        var run = OfficialSchedules.Named(name);
        var schedule = new LrSchedule(run.BaseLearningRate, run.GlobalBatchSize, run.StepsPerEpoch, run.Epochs, run.WarmupEpochs);
        double worst = 0;
        foreach (var step in run.Steps)
        {
            double error = Math.Abs(schedule.At(step.Index) - step.LearningRate) / schedule.PeakLearningRate;
            Assert.True(error <= Tolerance, $"{name} step {step.Index}: official {step.LearningRate:G17}, ours {schedule.At(step.Index):G17}");
            worst = Math.Max(worst, error);
        }
        Assert.Contains(run.Steps, s => s.Index >= (long)run.WarmupEpochs * run.StepsPerEpoch);   // the cosine branch is covered
        output.WriteLine($"{name}: {run.Steps.Count} steps, worst |ours - official| / peak = {worst:E2}");
    }

    [Fact]
    public void FirstIteration_IsPeakOverWarmupIterations_NotZero()
    {
        var run = OfficialSchedules.Named("scrl_200ep");
        var schedule = new LrSchedule(run.BaseLearningRate, run.GlobalBatchSize, run.StepsPerEpoch, run.Epochs, run.WarmupEpochs);
        Assert.Equal(14.4, schedule.PeakLearningRate, 12);
        Assert.Equal(run.Steps[0].LearningRate, schedule.At(0), 15);
        Assert.True(schedule.At(0) > 0);
    }

    [Fact]
    public void Constructor_RejectsWarmupNotShorterThanTraining() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LrSchedule(0.45, 512, 10, epochs: 5, warmupEpochs: 5));
}
