namespace Scrl.Core.Optim;

/// <summary>
/// Per-iteration learning rate: linear warmup from base/(W*stepsPerEpoch) to base over W epochs, then a half cosine
/// to 0 at epoch E. base = baseLr * globalBatch / 256.
/// </summary>
/// <remarks>
/// Closed form of kakaobrain/scrl optim/scheduler.py LinearWarmupScheduler + CosineAnnealingLR(T_max=E-W, eta_min=0).
/// The official loop steps the scheduler before the optimizer, so iteration k (0-based) trains with e = (k+1)/stepsPerEpoch.
/// </remarks>
public sealed class LrSchedule
{
    public LrSchedule(double baseLearningRate, int globalBatchSize, int stepsPerEpoch, int epochs, int warmupEpochs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(baseLearningRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(globalBatchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepsPerEpoch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochs);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupEpochs);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(warmupEpochs, epochs);
        PeakLearningRate = baseLearningRate * globalBatchSize / 256.0;
        StepsPerEpoch = stepsPerEpoch;
        Epochs = epochs;
        WarmupEpochs = warmupEpochs;
    }

    /// <summary>The linearly scaled rate reached at the end of warmup.</summary>
    public double PeakLearningRate { get; }

    public int StepsPerEpoch { get; }

    public int Epochs { get; }

    public int WarmupEpochs { get; }

    public long TotalSteps => (long)StepsPerEpoch * Epochs;

    /// <param name="globalStep">0-based iteration over the whole run.</param>
    public double At(long globalStep)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(globalStep);
        double epoch = (globalStep + 1.0) / StepsPerEpoch;       // fractional epochs done after this step
        if (epoch <= WarmupEpochs)
            return PeakLearningRate * epoch / WarmupEpochs;
        double progress = (epoch - WarmupEpochs) / (Epochs - WarmupEpochs);
        return PeakLearningRate * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
