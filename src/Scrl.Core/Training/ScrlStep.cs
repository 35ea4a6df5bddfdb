using Scrl.Core.Models;
using Scrl.Core.Optim;
using static TorchSharp.torch;

namespace Scrl.Core.Training;

/// <summary>
/// One SCRL (or BYOL) iteration: forward and losses, backward, LARS step at the scheduled rate, then the target EMA
/// (when the learner has a target: the contrastive objective has none, so it takes no momentum update).
/// </summary>
/// <remarks>Mirrors the body of kakaobrain/scrl trainer/trainer.py SCRLTrainer.run's step loop (without AMP).</remarks>
public sealed class ScrlStep
{
    private readonly ScrlLearner _learner;
    private readonly Lars _optimizer;
    private readonly LrSchedule _learningRate;
    private readonly EmaSchedule _emaMomentum;

    public ScrlStep(ScrlLearner learner, Lars optimizer, LrSchedule learningRate, EmaSchedule emaMomentum)
    {
        ArgumentNullException.ThrowIfNull(learner);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(learningRate);
        ArgumentNullException.ThrowIfNull(emaMomentum);
        _learner = learner;
        _optimizer = optimizer;
        _learningRate = learningRate;
        _emaMomentum = emaMomentum;
    }

    /// <param name="views">View 1 then view 2, [2B, 3, S, S].</param>
    /// <param name="rois">Paired boxes [2R, 5] for SCRL; null for BYOL.</param>
    /// <param name="labels">Class indices [B] when the online classifier is enabled, else null.</param>
    /// <param name="globalStep">0-based iteration over the whole run; drives both schedules.</param>
    /// <param name="timer">Benchmarks only: charges forward, backward and optimizer+EMA time to phases.</param>
    public ScrlStepResult Run(Tensor views, Tensor? rois, Tensor? labels, long globalStep, PhaseTimer? timer = null)
    {
        using var scope = NewDisposeScope();
        _learner.train();
        var losses = _learner.ComputeLosses(views, rois, labels);
        timer?.Mark("forward");

        double lr = _learningRate.At(globalStep);
        _learner.zero_grad();
        losses.Total.backward();
        timer?.Mark("backward");
        _optimizer.Step(lr);
        // Gradients are not needed again until the next backward; holding them through the next forward only
        // raises the peak (by the size of the trained parameters).
        _learner.zero_grad();

        double? m = null;
        if (_learner.HasTarget)
        {
            m = _emaMomentum.At(globalStep);
            _learner.UpdateTarget(m.Value);
        }
        timer?.Mark("optimizer+ema");

        // One device-to-host copy for all reported numbers.
        var reported = stack([losses.Total, losses.Regression, losses.Classification ?? losses.Regression])
            .detach().to(float64).cpu().data<double>().ToArray();
        return new ScrlStepResult(globalStep, reported[0], reported[1],
                                  losses.Classification is null ? null : reported[2], lr, m);
    }
}
