using Scrl.Core.Data;
using Scrl.Core.Data.Datasets;

namespace Scrl.Core.Evaluation;

/// <summary>
/// The splits of the image-level linear protocol (<see cref="RoiEvalVariant.Image"/>): two labelled ImageFolders
/// (torchvision's layout, one subfolder per class), each image one RoI covering the whole resized image, labelled with
/// its folder. Classes are the train folder's, in ordinal name order; ids are their indices.
/// </summary>
public static class ImageFolderEvalData
{
    /// <exception cref="InvalidDataException">A folder is not class-per-subfolder, has fewer than two classes, or val has a
    /// class train lacks.</exception>
    public static RoiEvalData Load(string trainFolder, string valFolder, RoiEvalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Variant != RoiEvalVariant.Image)
            throw new ArgumentException($"ImageFolder splits are for the Image variant, not {options.Variant}", nameof(options));
        var train = Labelled(trainFolder);
        var categories = new CategoryMap([.. train.ClassNames.Select((name, i) => new DatasetCategory(i, name))]);
        var indexByName = train.ClassNames.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        var val = Labelled(valFolder);
        var unknown = val.ClassNames.Where(c => !indexByName.ContainsKey(c)).ToList();
        if (unknown.Count > 0)
            throw new InvalidDataException($"{val.Description} has classes the train folder lacks: {string.Join(", ", unknown)}");
        return new RoiEvalData(categories, Split(train, c => c, options), Split(val, c => indexByName[val.ClassNames[c]], options));
    }

    private static UnlabeledImageSource Labelled(string folder)
    {
        var source = UnlabeledImageSource.FromImageFolder(folder);
        if (source.Labels is null)
            throw new InvalidDataException($"{source.Description} is not a labelled ImageFolder: every image must sit in a class subfolder (<root>/<class>/<image>)");
        if (source.ClassNames.Count < 2)
            throw new InvalidDataException($"{source.Description} has {source.ClassNames.Count} class; a classifier needs at least 2");
        return source;
    }

    private static RoiSplit Split(UnlabeledImageSource source, Func<int, int> classIndex, RoiEvalOptions options)
    {
        var images = new List<RoiImage>(source.Count);
        for (int i = 0; i < source.Count; i++)
        {
            string path = source.Paths[i];
            var (width, height) = ImageDecoder.ReadSize(path) ?? throw new InvalidDataException($"cannot read the size of '{path}'");
            var (w, h) = RoiSplit.ResizedSize(width, height, options);
            var record = new DatasetRecord(path, path, path, width, height, []);
            images.Add(new RoiImage(record, w, h, [new RoiBox(0, 0, w, h, classIndex(source.Labels![i]), BoxSizes.Of((double)width * height))]));
        }
        return new RoiSplit(images, CrowdExcluded: 0, DegenerateSkipped: 0);
    }
}
