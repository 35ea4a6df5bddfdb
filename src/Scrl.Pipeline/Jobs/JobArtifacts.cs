using Scrl.Pipeline.Artifacts;

namespace Scrl.Pipeline.Jobs;

/// <summary>The store names a job owns besides its stage's own files: claim, cancel marker, result manifest.</summary>
public static class JobArtifacts
{
    /// <summary><c>jobs/{jobId}.claim</c>: held by the one worker running the job.</summary>
    public static string Claim(JobMessage job) => ArtifactName.Validate($"jobs/{job.JobId}.claim");

    /// <summary><c>{prefix}cancel</c>: present when someone asked the job to stop for good.</summary>
    public static string CancelMarker(JobMessage job) => ArtifactName.Validate(job.ArtifactPrefix + "cancel");

    /// <summary><c>{prefix}result.json</c>: the outcome, read by the orchestrator when a report is lost.</summary>
    public static string Result(JobMessage job) => ArtifactName.Validate(job.ArtifactPrefix + "result.json");

    /// <summary><c>{prefix}crash-attempt-{n}.txt</c>: present when a worker process died by a signal running that
    /// attempt; holds the cause.</summary>
    public static string CrashReport(JobMessage job) => ArtifactName.Validate($"{job.ArtifactPrefix}crash-attempt-{job.Attempt}.txt");

    public static Task<bool> IsCancelRequestedAsync(IArtifactStore store, JobMessage job, CancellationToken cancellationToken) =>
        store.ExistsAsync(CancelMarker(job), cancellationToken);

    /// <summary>The stored outcome, or null when the job has none yet.</summary>
    public static async Task<JobOutcome?> TryReadResultAsync(IArtifactStore store, JobMessage job, CancellationToken cancellationToken)
    {
        try
        {
            await using Stream stream = await store.OpenReadAsync(Result(job), cancellationToken).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return JobJson.DeserializeOutcome(buffer.ToArray());
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Writes the outcome; a stored success is final and is never replaced (a redelivery may finish late).</summary>
    public static async Task WriteResultAsync(IArtifactStore store, JobMessage job, JobOutcome outcome, CancellationToken cancellationToken)
    {
        if (await TryReadResultAsync(store, job, cancellationToken).ConfigureAwait(false) is { Status: JobStatus.Succeeded }) return;
        using var content = new MemoryStream(JobJson.Serialize(outcome with { Attempt = job.Attempt }));
        await store.UploadAsync(Result(job), content, cancellationToken).ConfigureAwait(false);
    }
}
