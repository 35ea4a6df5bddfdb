using Microsoft.Extensions.Logging;
using Scrl.Pipeline.Artifacts;

namespace Scrl.Worker.Stages.Pretrain;

/// <summary>
/// Downloads a dataset folder from the artifact store once per worker. Datasets live under content-hashed
/// names and never change, so a folder with its completion marker is reused as is.
/// </summary>
internal static class DatasetCache
{
    private const string CompleteMarker = ".complete";

    /// <returns>The local folder holding the dataset's files, laid out as under <paramref name="prefix"/>.</returns>
    public static async Task<string> EnsureAsync(IArtifactStore store, string prefix, string cacheRoot, ILogger log, CancellationToken cancellationToken)
    {
        string local = Path.Combine(cacheRoot, prefix.TrimEnd('/').Replace('/', Path.DirectorySeparatorChar));
        if (File.Exists(Path.Combine(local, CompleteMarker))) return local;
        if (Directory.Exists(local)) Directory.Delete(local, recursive: true);   // a download cut short
        int files = 0;
        await foreach (ArtifactInfo artifact in store.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            await ArtifactFiles.DownloadAsync(store, artifact.Name, Path.Combine(local, artifact.Name[prefix.Length..]), cancellationToken).ConfigureAwait(false);
            files++;
        }
        if (files == 0) throw new FileNotFoundException($"The artifact store has no dataset under '{prefix}'.");
        await File.WriteAllTextAsync(Path.Combine(local, CompleteMarker), prefix, cancellationToken).ConfigureAwait(false);
        log.LogInformation("Downloaded dataset {Prefix}: {Files} files", prefix, files);
        return local;
    }
}
