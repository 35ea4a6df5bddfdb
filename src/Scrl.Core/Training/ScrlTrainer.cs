using Scrl.Core.Configuration;
using Scrl.Core.Models;
using Scrl.Core.Optim;
using Scrl.Core.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Scrl.Core.Training;

/// <summary>
/// The trainable state of a run, built from a config: learner, LARS, LR and EMA schedules, and the step that
/// ties them. It knows nothing of data sources, checkpoint files or metrics, so a job, a benchmark and a test
/// all train exactly the same way.
/// </summary>
public sealed class ScrlTrainer : IDisposable
{
    // Module constructors draw their initial weights from torch's process-wide generator; trainers built
    // concurrently (a worker running two jobs) must not interleave their seeded draws.
    private static readonly Lock GlobalGeneratorLock = new();

    private const string ModelPrefix = "model.";
    private const string OptimizerPrefix = "optim.";

    private readonly PretrainConfig _config;
    private readonly Device _device;
    private readonly Lars _optimizer;
    private readonly ScrlStep _step;

    public ScrlTrainer(PretrainConfig config, int stepsPerEpoch, Device device)
    {
        _config = config;
        _device = device;
        AllocatorTuning.EnsureApplied();
        // Initial weights come from the run's seed, so two runs of one config start identically.
        lock (GlobalGeneratorLock)
        {
            random.manual_seed(config.Run.Seed);
            Learner = new ScrlLearner(config.Network, config.Method.IsContrastive() ? config.Contrastive : null);
        }
        Learner.to(device);
        _optimizer = new Lars(LarsGrouping.Group(Learner.OptimizedParameters(), OfficialParameterNames.FromLearnerName,
                                                 config.Optim.Lars.Mode), config.Optim.Lars);
        LearningRate = new LrSchedule(config.Optim.BaseLearningRate, config.Run.BatchSize, stepsPerEpoch,
                                      config.Run.Epochs, config.Optim.WarmupEpochs);
        _step = new ScrlStep(Learner, _optimizer, LearningRate, new EmaSchedule(config.Optim.BaseEmaMomentum, LearningRate.TotalSteps));
    }

    public ScrlLearner Learner { get; }

    public LrSchedule LearningRate { get; }

    /// <summary>Trains on one batch (moved to the trainer's device) at <paramref name="globalStep"/>.</summary>
    public ScrlStepResult Step(TwoViewBatch batch, long globalStep, PhaseTimer? timer = null)
    {
        ScrlStepResult result;
        using (NewDisposeScope())
        {
            var views = batch.Views.to(_device);
            var rois = _config.Method.UsesBoxes() ? batch.Rois!.to(_device) : null;
            var labels = _config.Network.NumClasses > 0 ? batch.Labels!.to(_device) : null;
            timer?.Mark("to-device");
            result = _step.Run(views, rois, labels, globalStep, timer);
        }
        // The step's activations are all free now: the trimming policies hand their pages back (AllocatorTuning).
        AllocatorTuning.ReleaseFreeMemoryAfterStep();
        timer?.Mark("release-memory");
        return result;
    }

    /// <summary>Learner tensors and optimizer state as one flat name → tensor map (live tensors; the caller copies).</summary>
    public Dictionary<string, Tensor> StateTensors()
    {
        var state = Learner.state_dict().ToDictionary(kv => ModelPrefix + kv.Key, kv => kv.Value);
        foreach (var (name, buffer) in _optimizer.StateDict())
            state[OptimizerPrefix + name] = buffer;
        return state;
    }

    /// <summary>Restores what <see cref="StateTensors"/> saved; every learner key must match.</summary>
    public void LoadStateTensors(IReadOnlyDictionary<string, Tensor> state)
    {
        Learner.load_state_dict(WithPrefix(state, ModelPrefix), strict: true);
        _optimizer.LoadStateDict(WithPrefix(state, OptimizerPrefix));
    }

    /// <summary>The online encoder's weights under torchvision ResNet names, from a saved state map.</summary>
    public static Dictionary<string, Tensor> OnlineBackbone(IReadOnlyDictionary<string, Tensor> state) =>
        WithPrefix(state, ModelPrefix + "online.encoder.");

    private static Dictionary<string, Tensor> WithPrefix(IReadOnlyDictionary<string, Tensor> state, string prefix) =>
        state.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
             .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);

    public void Dispose()
    {
        _optimizer.Dispose();
        Learner.Dispose();
    }
}
