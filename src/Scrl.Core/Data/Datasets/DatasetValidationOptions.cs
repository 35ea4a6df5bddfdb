using Scrl.Core.Configuration;

namespace Scrl.Core.Data.Datasets;

/// <summary>How <see cref="DatasetValidator"/> checks a dataset and what it does with bad records.</summary>
public sealed record DatasetValidationOptions
{
    /// <summary>
    /// Read every image and check that it decodes completely at the stated size (<see cref="DatasetValidator.CheckImageBytes"/>);
    /// off checks only that the files exist.
    /// </summary>
    public bool DecodeImages { get; init; } = true;

    /// <summary>Threads that decode images.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// How far (pixels) a box may pass the image border before it counts as out of bounds. One pixel absorbs
    /// integer-annotation conventions (Cityscapes boxes end at max + 1) without hiding real errors.
    /// </summary>
    public double BoundsTolerancePx { get; init; } = 1.0;

    /// <summary>Drop bad records and write them to <see cref="ReportPath"/> instead of failing.</summary>
    public bool SkipBad { get; init; }

    /// <summary>Where <see cref="SkipBad"/> writes its json report; required when SkipBad is set.</summary>
    public string? ReportPath { get; init; }

    public IReadOnlyList<ValidationError> Validate(string path = "datasetValidation")
    {
        var errors = new List<ValidationError>();
        if (Parallelism <= 0) errors.Add(new($"{path}.parallelism", $"must be > 0, was {Parallelism}"));
        if (BoundsTolerancePx < 0) errors.Add(new($"{path}.boundsTolerancePx", $"must be >= 0, was {BoundsTolerancePx}"));
        if (SkipBad && string.IsNullOrWhiteSpace(ReportPath)) errors.Add(new($"{path}.reportPath", "is required when skipBad is set"));
        return errors;
    }
}
