using System.Text.Json;
using Scrl.Core.Data.Coco;

namespace Scrl.Core.Data;

/// <summary>An image that failed a validation decode, with the decoder's reason.</summary>
public sealed record UnreadableImage(string Path, string Reason);

/// <summary>
/// The list of images a pretraining run reads, in a fixed order (sample index = position in the list), with
/// ImageFolder class labels when the source has them. Only paths are held; pixels are decoded by the loader.
/// </summary>
public sealed class UnlabeledImageSource
{
    private static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png"];

    private UnlabeledImageSource(string description, IReadOnlyList<string> paths, IReadOnlyList<int>? labels, IReadOnlyList<string> classNames)
    {
        Description = description;
        Paths = paths;
        Labels = labels;
        ClassNames = classNames;
    }

    /// <summary>Where the list came from, for messages.</summary>
    public string Description { get; }

    /// <summary>Full paths; index i is sample i.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>Class index per sample (into <see cref="ClassNames"/>), or null when the source has no classes.</summary>
    public IReadOnlyList<int>? Labels { get; }

    /// <summary>Class names in label order; empty when <see cref="Labels"/> is null.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    public int Count => Paths.Count;

    /// <summary>
    /// Every <c>*.jpg|*.jpeg|*.png</c> under <paramref name="root"/> at any depth, sorted by ordinal relative path
    /// so the order is the same on every machine. When every image sits inside a first-level subfolder, that
    /// subfolder is its class (torchvision ImageFolder); otherwise there are no labels.
    /// </summary>
    public static UnlabeledImageSource FromImageFolder(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        string full = Path.GetFullPath(root);
        if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"Image folder '{full}' does not exist.");

        var relative = Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories)
            .Where(IsImage)
            .Select(f => Path.GetRelativePath(full, f))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (relative.Count == 0)
            throw new InvalidDataException($"Image folder '{full}' contains no {string.Join("/", ImageExtensions)} files.");

        var paths = relative.Select(r => Path.Combine(full, r)).ToList();
        var classOf = relative.Select(r => r.Split(Path.DirectorySeparatorChar) is [var first, _, ..] ? first : null).ToList();
        if (classOf.Any(c => c is null))
            return new UnlabeledImageSource($"image folder '{full}'", paths, labels: null, classNames: []);

        var classNames = classOf.Distinct().Order(StringComparer.Ordinal).ToList();
        var index = classNames.Select((name, i) => (name, i)).ToDictionary(t => t.name!, t => t.i);
        return new UnlabeledImageSource($"image folder '{full}'", paths, [.. classOf.Select(c => index[c!])], classNames!);
    }

    /// <summary>
    /// The images listed in a COCO instances json (annotations are ignored), in file order, resolved against
    /// <paramref name="imageFolder"/>. No labels.
    /// </summary>
    public static UnlabeledImageSource FromCoco(string annotationFile, string imageFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(annotationFile);
        ArgumentException.ThrowIfNullOrWhiteSpace(imageFolder);
        string json = Path.GetFullPath(annotationFile);
        string folder = Path.GetFullPath(imageFolder);
        if (!File.Exists(json)) throw new FileNotFoundException($"COCO annotation file '{json}' does not exist.", json);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"COCO image folder '{folder}' does not exist.");

        CocoImageIndex? index;
        try
        {
            using var stream = File.OpenRead(json);
            index = JsonSerializer.Deserialize(stream, CocoJsonContext.Default.CocoImageIndex);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"COCO annotation file '{json}' is not valid json: {e.Message}", e);
        }
        if (index?.Images is not { Count: > 0 } images)
            throw new InvalidDataException($"COCO annotation file '{json}' lists no images.");
        return new UnlabeledImageSource($"COCO '{json}'", [.. images.Select(i => Path.Combine(folder, i.FileName))], labels: null, classNames: []);
    }

    /// <summary>The images of <paramref name="dataset"/> in record order (annotations are ignored). No labels.</summary>
    public static UnlabeledImageSource FromDataset(Datasets.ImageDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Records.Count == 0) throw new InvalidDataException($"{dataset.Description} has no images.");
        return new UnlabeledImageSource(dataset.Description, [.. dataset.Records.Select(r => r.ImagePath)], labels: null, classNames: []);
    }

    /// <summary>
    /// Fully decodes every image and returns all that fail (missing, truncated, not an image), so a bad dataset
    /// is reported once, completely, instead of one crash per epoch. Runs on <paramref name="parallelism"/> threads.
    /// </summary>
    public IReadOnlyList<UnreadableImage> FindUnreadable(int parallelism, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        var failures = new System.Collections.Concurrent.ConcurrentBag<(int Index, UnreadableImage Image)>();
        Parallel.For(0, Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, i =>
        {
            try
            {
                ImageDecoder.Check(File.ReadAllBytes(Paths[i]), Paths[i]);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                failures.Add((i, new UnreadableImage(Paths[i], e.Message)));
            }
        });
        return [.. failures.OrderBy(f => f.Index).Select(f => f.Image)];
    }

    private static bool IsImage(string path) =>
        ImageExtensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);
}
