using System.Collections.Concurrent;
using System.Text.Json;
using Scrl.Core.IO;

namespace Scrl.Core.Data.Datasets;

/// <summary>
/// Checks a dataset before it is sharded or trained on, and reports every problem at once (file, record and kind)
/// instead of crashing on the first bad image mid-epoch.
/// </summary>
public static class DatasetValidator
{
    /// <summary>
    /// Finds missing and undecodable images (see <see cref="CheckImageBytes"/>), size mismatches, empty or out-of-bounds boxes, unknown categories and
    /// duplicate image/annotation ids. Problems come out in record order; images are checked on
    /// <see cref="DatasetValidationOptions.Parallelism"/> threads.
    /// </summary>
    public static DatasetValidationReport Validate(ImageDataset dataset, DatasetValidationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ThrowIfInvalid(options);
        var imageProblems = new ConcurrentDictionary<int, DatasetProblem>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken };
        Parallel.For(0, dataset.Records.Count, parallel, r =>
        {
            if (CheckImage(dataset.Records[r], options.DecodeImages) is { } problem) imageProblems[r] = problem;
        });
        return ValidateAnnotations(dataset, options, imageProblems);
    }

    /// <summary>
    /// Checks the annotations only (boxes, categories, duplicate ids) and merges image problems found elsewhere, such
    /// as by <see cref="CheckImageBytes"/> on images read from shards. Problems come out in record order.
    /// </summary>
    /// <param name="imageProblems">At most one problem per record index; null when images were not checked.</param>
    public static DatasetValidationReport ValidateAnnotations(ImageDataset dataset, DatasetValidationOptions options,
                                                              IReadOnlyDictionary<int, DatasetProblem>? imageProblems = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ThrowIfInvalid(options);
        imageProblems ??= new Dictionary<int, DatasetProblem>();
        var categoryIds = dataset.Categories.Select(c => c.Id).ToHashSet();
        var perRecord = new List<DatasetProblem>[dataset.Records.Count];
        for (int r = 0; r < perRecord.Length; r++) perRecord[r] = CheckAnnotations(dataset.Records[r], categoryIds, options);
        AddDuplicates(dataset.Records, perRecord);

        var problems = new List<DatasetProblem>();
        for (int r = 0; r < perRecord.Length; r++)
        {
            if (imageProblems.TryGetValue(r, out var imageProblem)) problems.Add(imageProblem);
            problems.AddRange(perRecord[r]);
        }
        return new DatasetValidationReport(dataset.Description, dataset.Records.Count, problems);
    }

    /// <summary>
    /// Validates, then returns the dataset unchanged when it is clean. Otherwise, with
    /// <see cref="DatasetValidationOptions.SkipBad"/> it writes the report to <see cref="DatasetValidationOptions.ReportPath"/>
    /// and returns the dataset without the bad records; without it, it throws.
    /// </summary>
    /// <exception cref="InvalidDataException">The dataset has problems and SkipBad is off; the message lists them all.</exception>
    public static ImageDataset EnsureValid(ImageDataset dataset, DatasetValidationOptions options, CancellationToken cancellationToken = default)
    {
        var report = Validate(dataset, options, cancellationToken);
        if (report.IsValid) return dataset;
        if (!options.SkipBad) throw new InvalidDataException(report.Describe());

        AtomicFile.Write(options.ReportPath!, stream => JsonSerializer.Serialize(stream, report, DatasetJsonContext.Default.DatasetValidationReport));
        var bad = report.BadImageIds.ToHashSet(StringComparer.Ordinal);
        return dataset with { Records = [.. dataset.Records.Where(r => !bad.Contains(r.ImageId))] };
    }

    private static List<DatasetProblem> CheckAnnotations(DatasetRecord record, HashSet<int> categoryIds, DatasetValidationOptions options)
    {
        var problems = new List<DatasetProblem>();
        double tolerance = options.BoundsTolerancePx;
        for (int i = 0; i < record.Instances.Count; i++)
        {
            var instance = record.Instances[i];
            var box = instance.Box;
            if (!categoryIds.Contains(instance.CategoryId))
                problems.Add(Problem(DatasetProblemKind.UnknownCategory, record, i, $"category {instance.CategoryId} is not in the category list"));
            if (!(box.Width > 0 && box.Height > 0))   // also catches NaN
                problems.Add(Problem(DatasetProblemKind.EmptyBox, record, i, $"box {box} has width {box.Width} and height {box.Height}"));
            else if (box.X1 < -tolerance || box.Y1 < -tolerance || box.X2 > record.Width + tolerance || box.Y2 > record.Height + tolerance)
                problems.Add(Problem(DatasetProblemKind.BoxOutOfBounds, record, i, $"box {box} leaves the {record.Width}x{record.Height} image"));
        }
        return problems;
    }

    private static void AddDuplicates(IReadOnlyList<DatasetRecord> records, List<DatasetProblem>[] perRecord)
    {
        foreach (var group in Enumerable.Range(0, records.Count).GroupBy(r => records[r].ImageId, StringComparer.Ordinal).Where(g => g.Count() > 1))
            foreach (int r in group)
                perRecord[r].Add(Problem(DatasetProblemKind.DuplicateImageId, records[r], null, $"image id is used by {group.Count()} records"));

        var annotations = records.SelectMany((record, r) => record.Instances.Select((instance, i) => (r, i, id: instance.AnnotationId)))
            .Where(a => a.id is not null);
        foreach (var group in annotations.GroupBy(a => a.id!.Value).Where(g => g.Count() > 1))
            foreach (var (r, i, id) in group)
                perRecord[r].Add(Problem(DatasetProblemKind.DuplicateAnnotationId, records[r], i, $"annotation id {id} is used {group.Count()} times"));
    }

    private static DatasetProblem? CheckImage(DatasetRecord record, bool decode)
    {
        if (!File.Exists(record.ImagePath)) return Problem(DatasetProblemKind.MissingImage, record, null, "image file does not exist");
        if (!decode) return null;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(record.ImagePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Problem(DatasetProblemKind.CorruptImage, record, null, e.Message);
        }
        return CheckImageBytes(record, bytes);
    }

    /// <summary>
    /// A problem when <paramref name="image"/> does not decode completely or its size differs from the record's. A JPEG
    /// whose markers show it complete and plainly built (<see cref="JpegStructure"/>) is judged from them, a few
    /// hundred times faster than decoding; any other image is fully decoded.
    /// </summary>
    public static DatasetProblem? CheckImageBytes(DatasetRecord record, ReadOnlySpan<byte> image)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            var (width, height) = JpegStructure.CompleteSize(image) ?? ImageDecoder.Check(image, record.ImagePath);
            return (width, height) == (record.Width, record.Height)
                ? null
                : Problem(DatasetProblemKind.SizeMismatch, record, null, $"decodes to {width}x{height}, annotations say {record.Width}x{record.Height}");
        }
        catch (InvalidDataException e)
        {
            return Problem(DatasetProblemKind.CorruptImage, record, null, e.Message);
        }
    }

    private static DatasetProblem Problem(DatasetProblemKind kind, DatasetRecord record, int? instance, string message) =>
        new(kind, record.ImageId, record.ImagePath, instance, message);

    private static void ThrowIfInvalid(DatasetValidationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException("Invalid dataset validation options: " + string.Join("; ", errors), nameof(options));
    }
}
