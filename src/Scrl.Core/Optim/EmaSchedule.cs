namespace Scrl.Core.Optim;

/// <summary>
/// Target-network EMA momentum m = 1 - (1 - m_base) * (cos(pi*k/K) + 1) / 2, rising from m_base at step 0 to 1 at K.
/// </summary>
/// <remarks>Mirrors kakaobrain/scrl trainer/base.py _decay_ema_momentum (global_step is 0-based, K = steps per epoch * epochs).</remarks>
public sealed class EmaSchedule
{
    public EmaSchedule(double baseMomentum, long totalSteps)
    {
        if (baseMomentum is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(baseMomentum), baseMomentum, "must be in [0, 1)");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalSteps);
        BaseMomentum = baseMomentum;
        TotalSteps = totalSteps;
    }

    public double BaseMomentum { get; }

    public long TotalSteps { get; }

    /// <param name="globalStep">0-based iteration whose optimizer step the EMA follows.</param>
    public double At(long globalStep)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(globalStep);
        return 1 - (1 - BaseMomentum) * (Math.Cos(Math.PI * globalStep / TotalSteps) + 1) / 2;
    }
}
