using Scrl.Core.Optim;

namespace Scrl.Core.Tests.Optim;

public sealed class LrScheduleTests
{
    private const double Base = 0.45;
    private const int Batch = 512, Steps = 10, Epochs = 20, Warmup = 5;
    private static readonly LrSchedule Schedule = new(Base, Batch, Steps, Epochs, Warmup);

    [Fact]
    public void FirstIteration_IsPeakOverWarmupIterations_NotZero()
    {
        Assert.Equal(Base * Batch / 256.0, Schedule.PeakLearningRate, 15);
        Assert.Equal(Base * Batch / 256.0 / (Warmup * Steps), Schedule.At(0), 15);
    }

    [Theory]
    [InlineData(24)]    // inside warmup: e = 2.5
    [InlineData(49)]    // last warmup iteration: e = 5 = W
    [InlineData(50)]    // first cosine iteration
    [InlineData(137)]
    [InlineData(199)]   // last iteration: e = E, rate 0
    public void At_FollowsLinearWarmupThenHalfCosine(long step)
    {
        double peak = Base * Batch / 256.0, e = (step + 1.0) / Steps;
        double expected = e <= Warmup ? peak * e / Warmup : peak * 0.5 * (1 + Math.Cos(Math.PI * (e - Warmup) / (Epochs - Warmup)));
        Assert.Equal(expected, Schedule.At(step), 15);
    }

    [Fact]
    public void Constructor_RejectsWarmupNotShorterThanTraining() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LrSchedule(Base, Batch, Steps, epochs: 5, warmupEpochs: 5));
}
