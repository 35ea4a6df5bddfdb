namespace Scrl.Pipeline.Jobs;

/// <summary>
/// A received job's lock expired (or its receipt went stale) before the call: the job is, or soon will be,
/// visible to other receivers again. The worker catches it: its artifact claim, not the message lock, is
/// what keeps a job from running twice, and a redelivery finds the result manifest and stops there.
/// </summary>
public sealed class JobLockLostException : Exception
{
    public JobLockLostException(string jobId, string operation, Exception? innerException = null)
        : base($"The lock on job '{jobId}' was lost before {operation}.", innerException)
    {
        JobId = jobId;
    }

    public string JobId { get; }
}
