using Scrl.Core.Models;
using Scrl.Core.Training.Metrics;

namespace Scrl.Core.Training;

/// <summary>What a hook sees after a training step: the step just finished, the learner and the run's metric sinks.</summary>
public sealed record PretrainHookContext(long Step, ScrlLearner Learner, IMetricSink Metrics, CancellationToken CancellationToken);

/// <summary>
/// Work that runs between pretraining steps (detectron2's HookBase.after_step): periodic evaluations and the like.
/// <see cref="PretrainJob"/> calls every hook after every step; a hook decides itself whether this step is its turn.
/// A hook must not change the learner's weights or draw from the torch generator, or it would alter the run.
/// </summary>
public interface IPretrainHook
{
    void AfterStep(PretrainHookContext context);
}
