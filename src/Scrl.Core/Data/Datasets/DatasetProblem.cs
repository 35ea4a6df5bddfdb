using System.Text.Json.Serialization;

namespace Scrl.Core.Data.Datasets;

/// <summary>What is wrong with a dataset record.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DatasetProblemKind>))]
public enum DatasetProblemKind
{
    /// <summary>The image file does not exist.</summary>
    MissingImage,
    /// <summary>The image file does not decode completely (truncated, corrupt, not an image).</summary>
    CorruptImage,
    /// <summary>The decoded size differs from the size the annotations state.</summary>
    SizeMismatch,
    /// <summary>A box extends beyond the image (by more than the tolerance).</summary>
    BoxOutOfBounds,
    /// <summary>A box has zero or negative width or height.</summary>
    EmptyBox,
    /// <summary>An instance names a category the dataset does not list.</summary>
    UnknownCategory,
    /// <summary>Two records share an image id.</summary>
    DuplicateImageId,
    /// <summary>Two instances share an annotation id.</summary>
    DuplicateAnnotationId,
}

/// <summary>One problem, located by image file and record.</summary>
/// <param name="InstanceIndex">Index into the record's instances, or null for a whole-image problem.</param>
public sealed record DatasetProblem(DatasetProblemKind Kind, string ImageId, string File, int? InstanceIndex, string Message)
{
    public override string ToString() =>
        $"{Kind}: image {ImageId} ({File}){(InstanceIndex is { } i ? $" instance {i}" : "")}: {Message}";
}
