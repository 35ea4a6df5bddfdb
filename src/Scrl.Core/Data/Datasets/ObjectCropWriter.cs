using SkiaSharp;

namespace Scrl.Core.Data.Datasets;

/// <summary>
/// Turns a box-annotated dataset into a labelled ImageFolder (torchvision's layout): every non-crowd box becomes
/// <c>{folder}/{category name}/{image id}-{n}.png</c>, the box cropped from its image (clipped to it). A small labelled
/// set for the image-level linear protocol, e.g. from the synthetic shapes (<c>scrl data crops</c>).
/// </summary>
public static class ObjectCropWriter
{
    /// <param name="minSide">Boxes narrower or lower than this many pixels after clipping are skipped.</param>
    /// <returns>Crops written per category name.</returns>
    public static IReadOnlyDictionary<string, int> Write(ImageDataset dataset, string folder, int minSide = 8, IProgress<int>? progress = null,
                                                         CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentOutOfRangeException.ThrowIfLessThan(minSide, 1);
        var names = dataset.Categories.ToDictionary(c => c.Id, c => SafeName(c.Name));
        var counts = names.Values.Distinct().ToDictionary(n => n, _ => 0, StringComparer.Ordinal);
        for (int r = 0; r < dataset.Records.Count; r++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var record = dataset.Records[r];
            using var image = SKBitmap.Decode(record.ImagePath) ?? throw new InvalidDataException($"cannot decode '{record.ImagePath}'");
            for (int i = 0; i < record.Instances.Count; i++)
            {
                var instance = record.Instances[i];
                if (instance.IsCrowd) continue;
                if (!names.TryGetValue(instance.CategoryId, out string? name))
                    throw new InvalidDataException($"{dataset.Description}: image {record.ImageId} has category {instance.CategoryId}, which is not listed");
                var box = SKRectI.Intersect(new SKRectI((int)Math.Floor(instance.Box.X1), (int)Math.Floor(instance.Box.Y1),
                                                        (int)Math.Ceiling(instance.Box.X2), (int)Math.Ceiling(instance.Box.Y2)),
                                            new SKRectI(0, 0, image.Width, image.Height));
                if (box.Width < minSide || box.Height < minSide) continue;
                using var crop = new SKBitmap();
                if (!image.ExtractSubset(crop, box)) throw new InvalidDataException($"cannot crop {box} from '{record.ImagePath}'");
                using var encoder = SKImage.FromBitmap(crop);
                using var data = encoder.Encode(SKEncodedImageFormat.Png, 100);
                string target = Path.Combine(folder, name, $"{SafeName(record.ImageId)}-{i}.png");
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.WriteAllBytes(target, data.ToArray());
                counts[name]++;
            }
            progress?.Report(r + 1);
        }
        return counts;
    }

    // A category or image id may hold '/', which would nest folders.
    private static string SafeName(string name) => string.Concat(name.Select(c => Path.GetInvalidFileNameChars().Contains(c) || c == ' ' ? '_' : c));
}
