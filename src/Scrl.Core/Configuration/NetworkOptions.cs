using System.Text.Json.Serialization;

namespace Scrl.Core.Configuration;

[JsonConverter(typeof(JsonStringEnumConverter<BackboneArch>))]
public enum BackboneArch { ResNet18, ResNet34, ResNet50, ResNet101 }

/// <summary>Online/target networks and the SCRL RoI head (scrl-reference.md §3).</summary>
public sealed record NetworkOptions
{
    public BackboneArch Backbone { get; init; } = BackboneArch.ResNet50;
    public int ProjectorHidden { get; init; } = 4096;
    public int ProjectionDim { get; init; } = 256;
    public int PredictorHidden { get; init; } = 4096;
    /// <summary>RoIAlign output side; the official code pools each box to 1x1 on C5.</summary>
    public int RoiPoolSize { get; init; } = 1;
    public double RoiSpatialScale { get; init; } = 1.0 / 32;
    public int RoiSamplingRatio { get; init; } = -1;
    /// <summary>detectron2's half-pixel alignment; the official code uses torchvision's legacy <c>false</c>.</summary>
    public bool RoiAligned { get; init; } = false;
    /// <summary>Classes of the online linear classifier (labels required); 0 disables it.</summary>
    public int OnlineClassifierClasses { get; init; } = 0;

    public IReadOnlyList<ValidationError> Validate(string path)
    {
        var errors = new List<ValidationError>();
        if (ProjectorHidden <= 0) errors.Add(new($"{path}.projectorHidden", $"must be > 0, was {ProjectorHidden}"));
        if (ProjectionDim <= 0) errors.Add(new($"{path}.projectionDim", $"must be > 0, was {ProjectionDim}"));
        if (PredictorHidden <= 0) errors.Add(new($"{path}.predictorHidden", $"must be > 0, was {PredictorHidden}"));
        if (RoiPoolSize <= 0) errors.Add(new($"{path}.roiPoolSize", $"must be > 0, was {RoiPoolSize}"));
        if (RoiSpatialScale <= 0) errors.Add(new($"{path}.roiSpatialScale", $"must be > 0, was {RoiSpatialScale}"));
        if (OnlineClassifierClasses < 0) errors.Add(new($"{path}.onlineClassifierClasses", $"must be >= 0, was {OnlineClassifierClasses}"));
        return errors;
    }
}
