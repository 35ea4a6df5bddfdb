namespace Scrl.Pipeline.Jobs;

/// <summary>
/// A transport whose broker dead-letters jobs on its own (Service Bus: past the queue's <c>maxDeliveryCount</c>, or when
/// a job expires unreceived). Nobody else hears of such a job, so a <see cref="Outcomes.DeadLetterWatcher"/> reads them
/// here and fails their stage.
/// </summary>
public interface IDeadLetterSource
{
    /// <summary>The queue whose dead letters this reads, for logs.</summary>
    string QueueName { get; }

    /// <summary>Waits up to <paramref name="wait"/> for a dead-lettered job; null when none arrived. It stays locked until
    /// completed, and comes back if the reader dies first.</summary>
    Task<IReceivedDeadLetter?> ReceiveDeadLetterAsync(TimeSpan wait, CancellationToken cancellationToken);
}

/// <summary>One locked message of a dead-letter queue.</summary>
public interface IReceivedDeadLetter
{
    /// <summary>The job, or null when the body is not a job message (a malformed post).</summary>
    JobMessage? Job { get; }

    /// <summary>The body, the broker's reason and description (<c>Reason: description</c>) and its delivery count.</summary>
    DeadLetteredJob Record { get; }

    /// <summary>Removes it from the dead-letter queue: it has been handled.</summary>
    Task CompleteAsync(CancellationToken cancellationToken);
}
