namespace Scrl.Core.Data.Datasets;

/// <summary>Reads a folder of images (any depth, no annotations) into <see cref="ImageDataset"/> records.</summary>
public static class ImageFolderDatasetReader
{
    /// <summary>
    /// Records in <see cref="UnlabeledImageSource.FromImageFolder"/>'s order (ordinal relative path, which is also the
    /// image id); no instances, no categories. Sizes come from each image header; an unreadable header gives 0 x 0,
    /// which <see cref="DatasetValidator"/> then reports with the decoder's reason.
    /// </summary>
    public static ImageDataset Read(string root)
    {
        var source = UnlabeledImageSource.FromImageFolder(root);
        string full = Path.GetFullPath(root);
        var records = source.Paths.Select(path =>
        {
            string relative = Path.GetRelativePath(full, path).Replace(Path.DirectorySeparatorChar, '/');
            var (width, height) = ImageDecoder.ReadSize(path) ?? (0, 0);
            return new DatasetRecord(relative, relative, path, width, height, []);
        }).ToList();
        return new ImageDataset(source.Description, [], records);
    }
}
