namespace Scrl.Pipeline.Jobs;

/// <summary>
/// Carries job messages from orchestrators to workers: in-memory (embedded runs), Azure Storage Queues
/// (Azurite, local emulation) or Service Bus (Azure). Delivery is at-least-once.
/// </summary>
public interface IJobTransport
{
    Task SendAsync(JobMessage job, CancellationToken cancellationToken);

    /// <summary>Waits up to <paramref name="wait"/> for a job; null when none arrived. The job stays locked
    /// (invisible to other receivers) until it is completed, abandoned, dead-lettered or its lock expires.</summary>
    Task<IReceivedJob?> ReceiveAsync(TimeSpan wait, CancellationToken cancellationToken);
}

/// <summary>A locked job a worker holds.</summary>
public interface IReceivedJob : IAsyncDisposable
{
    JobMessage Job { get; }

    /// <summary>1 on first delivery; grows with every redelivery (lock expiry or abandon).</summary>
    int DeliveryCount { get; }

    /// <summary>Extends the lock for long jobs; call it well within the lock duration.</summary>
    /// <exception cref="JobLockLostException">The lock expired and the job may be with another receiver.</exception>
    Task RenewLockAsync(CancellationToken cancellationToken);

    /// <summary>Removes the job for good: it is done.</summary>
    /// <exception cref="JobLockLostException">The lock expired first; the job will be delivered again.</exception>
    Task CompleteAsync(CancellationToken cancellationToken);

    /// <summary>Releases the lock at once so another worker can take the job (e.g. on shutdown).</summary>
    Task AbandonAsync(CancellationToken cancellationToken) => AbandonAsync(TimeSpan.Zero, cancellationToken);

    /// <summary>
    /// Releases the job so it is delivered again no sooner than <paramref name="redeliverAfter"/> (e.g. while
    /// another worker holds its claim). Transports that cannot delay say how they approximate it.
    /// </summary>
    Task AbandonAsync(TimeSpan redeliverAfter, CancellationToken cancellationToken);

    /// <summary>Moves the job aside for inspection; it will not be delivered again.</summary>
    Task DeadLetterAsync(string reason, CancellationToken cancellationToken);
}
