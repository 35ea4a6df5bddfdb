using Scrl.Core.Augment;
using Scrl.Core.Boxes;
using Scrl.Core.Models;

namespace Scrl.Core.Configuration;

/// <summary>
/// Everything a pretraining run needs. Defaults reproduce the official <c>scrl_200ep</c> recipe
/// (scrl-reference.md §0); presets and <c>--set</c> overrides change it.
/// </summary>
public sealed record PretrainConfig
{
    public PretrainMethod Method { get; init; } = PretrainMethod.Scrl;
    public DataOptions Data { get; init; } = new();
    public AugmentOptions Augment { get; init; } = new();
    public BoxGenOptions Boxes { get; init; } = new();
    public ScrlLearnerOptions Network { get; init; } = new();
    public OptimOptions Optim { get; init; } = new();
    public RunOptions Run { get; init; } = new();
    public OnlineRoiEvalOptions OnlineRoiEval { get; init; } = new();

    /// <summary>NT-Xent settings; read only by <see cref="PretrainMethod.ScrlContrastive"/>.</summary>
    public ContrastiveOptions Contrastive { get; init; } = new();

    /// <summary>How the shared crop is cut and reshaped; read only by <see cref="PretrainMethod.InputConsistency"/>.</summary>
    public InputConsistencyOptions InputConsistency { get; init; } = new();

    public IReadOnlyList<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        errors.AddRange(Data.Validate("data"));
        errors.AddRange(Augment.Validate("augment"));
        errors.AddRange(Boxes.Validate("boxes"));
        errors.AddRange(Network.Validate("network"));
        errors.AddRange(Optim.Validate("optim"));
        errors.AddRange(Run.Validate("run"));
        errors.AddRange(OnlineRoiEval.Validate("onlineRoiEval"));
        errors.AddRange(Contrastive.Validate("contrastive"));
        errors.AddRange(InputConsistency.Validate("inputConsistency"));
        if (!Enum.IsDefined(Method)) errors.Add(new("method", $"unknown method {Method}"));
        if (Optim.WarmupEpochs >= Run.Epochs)
            errors.Add(new("optim.warmupEpochs", $"must be < run.epochs ({Run.Epochs}), was {Optim.WarmupEpochs}"));
        if (Boxes.InputSize != Augment.InputSize)
            errors.Add(new("boxes.inputSize", $"must equal augment.inputSize ({Augment.InputSize}), was {Boxes.InputSize}"));
        return errors;
    }
}
