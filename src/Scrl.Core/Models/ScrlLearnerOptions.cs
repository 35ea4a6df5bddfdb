using Scrl.Core.Configuration;

namespace Scrl.Core.Models;

/// <summary>Network sizes for <see cref="ScrlLearner"/>; defaults are the paper's (official <c>network.*</c> keys).</summary>
public sealed record ScrlLearnerOptions
{
    public ResNetVariant Backbone { get; init; } = ResNetVariant.ResNet50;

    /// <summary>Hidden width of projector and predictor (<c>proj_head.hidden_size</c>).</summary>
    public int HiddenSize { get; init; } = 4096;

    /// <summary>Projection width D (<c>proj_head.output_size</c>).</summary>
    public int ProjectionSize { get; init; } = 256;

    /// <summary>Classes of the online linear classifier on detached GAP features; 0 disables it (unlabelled data).</summary>
    public int NumClasses { get; init; }

    public RoiPoolOptions RoiPool { get; init; } = new();

    /// <summary>Run the encoders on channels-last activations (<see cref="ResNetBackbone.ChannelsLast"/>): the same
    /// values up to float summation order, and faster on CPU. The official code runs NCHW.</summary>
    public bool ChannelsLast { get; init; } = true;

    public IReadOnlyList<ValidationError> Validate(string path = "network")
    {
        var errors = new List<ValidationError>();
        if (!Enum.IsDefined(Backbone)) errors.Add(new($"{path}.backbone", $"unknown backbone {Backbone}"));
        if (HiddenSize <= 0) errors.Add(new($"{path}.hiddenSize", $"must be > 0, was {HiddenSize}"));
        if (ProjectionSize <= 0) errors.Add(new($"{path}.projectionSize", $"must be > 0, was {ProjectionSize}"));
        if (NumClasses < 0) errors.Add(new($"{path}.numClasses", $"must be >= 0, was {NumClasses}"));
        errors.AddRange(RoiPool.Validate($"{path}.roiPool"));
        return errors;
    }
}
