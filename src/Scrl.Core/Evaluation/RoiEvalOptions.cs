using System.Text.Json.Serialization;
using Scrl.Core.Configuration;

namespace Scrl.Core.Evaluation;

/// <summary>Which backbone features the linear head sees.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RoiEvalVariant>))]
public enum RoiEvalVariant
{
    /// <summary>RoIAlign on C5 only; the backbone stays in eval mode, so features are cached once.</summary>
    C5,
    /// <summary>RoIAlign on every stage C2..C5, concatenated; backbone BN uses batch statistics while the head trains.</summary>
    Fpn,
    /// <summary>The image-level linear protocol: C5 average-pooled over the whole image (each image's one RoI only names
    /// its batch index and label); eval mode and cached features, as C5.</summary>
    Image,
}

/// <summary>How images are resized before the backbone.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RoiResizeMode>))]
public enum RoiResizeMode
{
    /// <summary>Every image becomes ImageSize x ImageSize (aspect not kept); batches need no padding.</summary>
    Square,
    /// <summary>The shorter side becomes ImageSize (torchvision <c>Resize(int)</c>); a batch is zero-padded bottom/right.</summary>
    ShorterSide,
}

/// <summary>
/// The RoI linear evaluation protocol (SCRL appendix B): a frozen backbone, RoIAlign of every non-crowd ground-truth
/// box, average pooling, and one linear layer over the categories. Defaults are ours (the paper gives no
/// hyper-parameters): SGD with momentum and a cosine schedule, as in the standard linear protocol.
/// </summary>
public sealed record RoiEvalOptions
{
    /// <summary>C5 (default) or the C2..C5 "FPN" variant.</summary>
    public RoiEvalVariant Variant { get; init; } = RoiEvalVariant.C5;

    /// <summary>Square side, or shorter side, in pixels (default 224).</summary>
    public int ImageSize { get; init; } = 224;

    /// <summary>Square (default) or shorter-side resize.</summary>
    public RoiResizeMode ResizeMode { get; init; } = RoiResizeMode.Square;

    /// <summary>RoIAlign bins per side (default 7); the bins are then averaged into one vector per stage.</summary>
    public int RoiOutputSize { get; init; } = 7;

    /// <summary>RoIAlign samples per bin and axis (default 2, as detectron2's box heads).</summary>
    public int SamplingRatio { get; init; } = 2;

    /// <summary>Images per backbone forward (default 16).</summary>
    public int ImageBatch { get; init; } = 16;

    /// <summary>RoIs per head step on cached features (default 256).</summary>
    public int RoiBatch { get; init; } = 256;

    /// <summary>Passes of the head over the train RoIs (default 20; cheap on cached features).</summary>
    public int Epochs { get; init; } = 20;

    /// <summary>Peak SGD learning rate, reached at step 0 and decayed to 0 by a cosine (default 0.1).</summary>
    public double LearningRate { get; init; } = 0.1;

    /// <summary>SGD momentum (default 0.9).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>SGD weight decay on the linear weights (default 0).</summary>
    public double WeightDecay { get; init; } = 0.0;

    /// <summary>Seeds RoI subsampling, the shuffle and a <c>random</c> backbone (default 0).</summary>
    public long Seed { get; init; } = 0;

    /// <summary>Caps the RoIs per split, drawn with <see cref="Seed"/> (default 0: all).</summary>
    public int MaxRoisPerSplit { get; init; } = 0;

    /// <summary>Folder for cached C5 features (default empty: keep them in memory only).</summary>
    public string CacheDirectory { get; init; } = "";

    /// <summary>ImageNet RGB mean, as the pretraining pipeline normalizes.</summary>
    public IReadOnlyList<double> NormalizeMean { get; init; } = [0.485, 0.456, 0.406];

    /// <summary>ImageNet RGB std.</summary>
    public IReadOnlyList<double> NormalizeStd { get; init; } = [0.229, 0.224, 0.225];

    public IReadOnlyList<ValidationError> Validate(string path = "roiEval")
    {
        var errors = new List<ValidationError>();
        if (Variant == RoiEvalVariant.Image && ResizeMode != RoiResizeMode.Square)
            errors.Add(new($"{path}.resizeMode", "must be Square for the Image variant: padding would enter the global average"));
        if (ImageSize < 32) errors.Add(new($"{path}.imageSize", $"must be >= 32 (one C5 cell), was {ImageSize}"));
        if (RoiOutputSize < 1) errors.Add(new($"{path}.roiOutputSize", $"must be >= 1, was {RoiOutputSize}"));
        if (SamplingRatio < 1) errors.Add(new($"{path}.samplingRatio", $"must be >= 1, was {SamplingRatio}"));
        if (ImageBatch < 1) errors.Add(new($"{path}.imageBatch", $"must be >= 1, was {ImageBatch}"));
        if (RoiBatch < 2) errors.Add(new($"{path}.roiBatch", $"must be >= 2 (the head normalizes over the batch), was {RoiBatch}"));
        if (Epochs < 1) errors.Add(new($"{path}.epochs", $"must be >= 1, was {Epochs}"));
        if (!(LearningRate > 0)) errors.Add(new($"{path}.learningRate", $"must be > 0, was {LearningRate}"));
        if (Momentum is < 0 or >= 1) errors.Add(new($"{path}.momentum", $"must be in [0, 1), was {Momentum}"));
        if (WeightDecay < 0) errors.Add(new($"{path}.weightDecay", $"must be >= 0, was {WeightDecay}"));
        if (MaxRoisPerSplit < 0) errors.Add(new($"{path}.maxRoisPerSplit", $"must be >= 0, was {MaxRoisPerSplit}"));
        if (NormalizeMean.Count != 3) errors.Add(new($"{path}.normalizeMean", "must have 3 values (RGB)"));
        if (NormalizeStd.Count != 3 || NormalizeStd.Any(s => !(s > 0))) errors.Add(new($"{path}.normalizeStd", "must have 3 positive values (RGB)"));
        return errors;
    }
}
