using Scrl.Pipeline.Artifacts;

namespace Scrl.Worker.Stages;

/// <summary>The backbone a pretrain stage produced, found among its artifacts and fetched for a later stage.</summary>
public static class PretrainedCheckpoint
{
    private const string Extension = ".ckpt";

    /// <summary>The newest checkpoint among a pretrain stage's artifacts (names are <c>.../checkpoints/step-NNNNNN.ckpt</c>,
    /// zero-padded, so the last in order is the newest); null when there is none.</summary>
    public static string? Newest(IEnumerable<string> artifacts)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        return artifacts.Where(a => a.EndsWith(Extension, StringComparison.Ordinal) && a.Contains("/checkpoints/", StringComparison.Ordinal))
                        .Order(StringComparer.Ordinal)
                        .LastOrDefault();
    }

    /// <summary>Downloads artifact <paramref name="name"/> into <paramref name="folder"/>, keeping its file name; returns the path.</summary>
    public static async Task<string> DownloadAsync(IArtifactStore store, string name, string folder, CancellationToken cancellationToken)
    {
        string path = Path.Combine(folder, name.Replace('/', '_'));
        await ArtifactFiles.DownloadAsync(store, name, path, cancellationToken).ConfigureAwait(false);
        return path;
    }
}
