using Scrl.Pipeline.Artifacts;

namespace Scrl.Pipeline.Jobs;

/// <summary>
/// <c>{prefix}progress-attempt-{n}.json</c>: where a worker keeps an attempt's latest <see cref="JobProgressSnapshot"/>.
/// One blob per attempt, so a slow retry's old worker cannot pass its numbers off as the new attempt's.
/// </summary>
public static class JobProgressBlob
{
    /// <param name="artifactPrefix">The stage's prefix, <c>runs/{runId}/{stage}/</c>.</param>
    public static string Name(string artifactPrefix, int attempt) =>
        ArtifactName.Validate($"{artifactPrefix}progress-attempt-{attempt}.json");

    public static async Task WriteAsync(IArtifactStore store, JobMessage job, JobProgressSnapshot progress,
                                        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(job);
        using var content = new MemoryStream(JobJson.Serialize(progress));
        await store.UploadAsync(Name(job.ArtifactPrefix, job.Attempt), content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The attempt's latest progress, or null before its first heartbeat.</summary>
    public static async Task<JobProgressSnapshot?> TryReadAsync(IArtifactStore store, string artifactPrefix, int attempt,
                                                                CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        try
        {
            await using Stream stream = await store.OpenReadAsync(Name(artifactPrefix, attempt), cancellationToken).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return JobJson.DeserializeProgress(buffer.ToArray());
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}
