using Scrl.Pipeline.Artifacts;

namespace Scrl.Cli.Datasets;

/// <summary>
/// Copies a dataset stored in blob storage (COCO/VOC/... layout under a prefix) into a local folder, because the
/// dataset readers and the validator read local files. Files already present with the right size are kept, so an
/// interrupted download resumes and a second run downloads nothing.
/// </summary>
public static class BlobSourceDownload
{
    /// <summary>Downloads every artifact under <paramref name="prefix"/> to <paramref name="folder"/>; returns the file count.</summary>
    public static async Task<int> DownloadAsync(IArtifactStore store, string prefix, string folder, IProgress<(int Done, int Total)>? progress = null,
                                                CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var items = new List<ArtifactInfo>();
        await foreach (var item in store.ListAsync(prefix, cancellationToken).ConfigureAwait(false)) items.Add(item);
        if (items.Count == 0) throw new DirectoryNotFoundException($"No blobs under '{prefix}'.");

        string root = Path.GetFullPath(folder);
        for (int i = 0; i < items.Count; i++)
        {
            string path = Path.Combine(root, items[i].Name[prefix.Length..].Replace('/', Path.DirectorySeparatorChar));
            if (new FileInfo(path) is not { Exists: true } existing || existing.Length != items[i].Size)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                string temp = path + ".download";   // renamed into place only when complete
                await using (var source = await store.OpenReadAsync(items[i].Name, cancellationToken).ConfigureAwait(false))
                await using (var target = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                    await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
                File.Move(temp, path, overwrite: true);
            }
            progress?.Report((i + 1, items.Count));
        }
        return items.Count;
    }
}
