using Scrl.Pipeline.Artifacts;

namespace Scrl.Worker.Stages;

/// <summary>Copies between the artifact store and a worker's local folders.</summary>
public static class ArtifactFiles
{
    public static async Task DownloadAsync(IArtifactStore store, string name, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await using Stream source = await store.OpenReadAsync(name, cancellationToken).ConfigureAwait(false);
        await using FileStream target = File.Create(path);
        await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Uploads every file under <paramref name="folder"/> to <c>{prefix}{relative path}</c>; returns the names, sorted.</summary>
    public static async Task<IReadOnlyList<string>> UploadFolderAsync(IArtifactStore store, string prefix, string folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var names = new List<string>();
        foreach (string file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            names.Add(await UploadFileAsync(store, prefix + Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/'), file, cancellationToken)
                .ConfigureAwait(false));
        return names;
    }

    /// <summary>Uploads the file at <paramref name="path"/> as artifact <paramref name="name"/>; returns the name.</summary>
    public static async Task<string> UploadFileAsync(IArtifactStore store, string name, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArtifactName.Validate(name);
        await using FileStream source = File.OpenRead(path);
        await store.UploadAsync(name, source, cancellationToken).ConfigureAwait(false);
        return name;
    }

    /// <summary>An empty scratch folder for one job: what an earlier attempt left is gone, since the store is the truth.</summary>
    public static string FreshJobFolder(StageContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        string folder = Path.Combine(context.WorkDirectory, "jobs", context.Job.JobId);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
