using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Scrl.Pipeline.Jobs;

namespace Scrl.Pipeline.Activities;

/// <summary>Sends a stage's job to the workers. Returns the job id.</summary>
/// <remarks>Idempotent enough to retry: a second copy of the message carries the same job id, and the worker's claim
/// on that id keeps two copies from running at once.</remarks>
public sealed class PostJobActivity(IJobTransport transport, ILogger<PostJobActivity> log) : TaskActivity<JobMessage, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, JobMessage job)
    {
        ArgumentNullException.ThrowIfNull(job);
        await transport.SendAsync(job, CancellationToken.None).ConfigureAwait(false);
        log.LogInformation("Posted job {JobId} ({Stage}) attempt {Attempt}, deadline {Deadline:O}", job.JobId, job.Stage, job.Attempt, job.Deadline);
        return job.JobId;
    }
}
