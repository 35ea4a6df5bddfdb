using System.Text.Json.Serialization;

namespace Scrl.Core.Configuration;

/// <summary>The self-supervised objective a run trains with: SCRL, and the paper's ablations and variants.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PretrainMethod>))]
public enum PretrainMethod
{
    /// <summary>RoI-level BYOL regression on spatially consistent box pairs (the paper's method).</summary>
    Scrl,

    /// <summary>Image-level BYOL on independently cropped views (the baseline).</summary>
    Byol,

    /// <summary>Appendix I: SimCLR's NT-Xent over the box pairs, every other box of the batch a negative; no predictor,
    /// no EMA target.</summary>
    ScrlContrastive,

    /// <summary>Appendix J: image-level BYOL on two views cut from one region, differing only in photometric
    /// augmentation and aspect ratio (<see cref="Augment.InputConsistentAugmenter"/>).</summary>
    InputConsistency,
}

/// <summary>What each method needs from the data and the learner.</summary>
public static class PretrainMethodTraits
{
    /// <summary>Whether the loss is over RoI pairs, so batches carry spatially consistent boxes.</summary>
    public static bool UsesBoxes(this PretrainMethod method) => method is PretrainMethod.Scrl or PretrainMethod.ScrlContrastive;

    /// <summary>Whether the loss is NT-Xent, so the learner has neither predictor nor EMA target.</summary>
    public static bool IsContrastive(this PretrainMethod method) => method is PretrainMethod.ScrlContrastive;

    /// <summary>Whether both views come from one shared crop rather than two independent ones.</summary>
    public static bool UsesConsistentInputs(this PretrainMethod method) => method is PretrainMethod.InputConsistency;
}
