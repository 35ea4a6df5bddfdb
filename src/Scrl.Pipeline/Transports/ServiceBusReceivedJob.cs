using Azure.Messaging.ServiceBus;
using Scrl.Pipeline.Jobs;

namespace Scrl.Pipeline.Transports;

/// <summary>A peek-locked Service Bus message; settlement goes through the receiver that locked it.</summary>
internal sealed class ServiceBusReceivedJob(ServiceBusReceiver receiver, JobMessage job, ServiceBusReceivedMessage message) : IReceivedJob
{
    private const int MaxDeadLetterDescription = 4096;   // the broker caps the description property

    public JobMessage Job { get; } = job;

    public int DeliveryCount => message.DeliveryCount;

    public Task RenewLockAsync(CancellationToken cancellationToken) =>
        MapLockLost("renewing the lock", () => receiver.RenewMessageLockAsync(message, cancellationToken));

    public Task CompleteAsync(CancellationToken cancellationToken) =>
        MapLockLost("completing", () => receiver.CompleteMessageAsync(message, cancellationToken));

    /// <remarks>
    /// Service Bus cannot abandon with a delay. For a delay the message is left locked, so it comes back when
    /// its lock expires: after at most the queue's lock duration, whatever <paramref name="redeliverAfter"/> says.
    /// </remarks>
    public Task AbandonAsync(TimeSpan redeliverAfter, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(redeliverAfter, TimeSpan.Zero);
        return redeliverAfter == TimeSpan.Zero
            ? MapLockLost("abandoning", () => receiver.AbandonMessageAsync(message, cancellationToken: cancellationToken))
            : Task.CompletedTask;
    }

    public Task DeadLetterAsync(string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        string description = reason.Length <= MaxDeadLetterDescription ? reason : reason[..MaxDeadLetterDescription];
        return MapLockLost("dead-lettering",
            () => receiver.DeadLetterMessageAsync(message, "JobRejected", description, cancellationToken));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;   // the receiver is shared; an unsettled lock just expires

    private async Task MapLockLost(string operation, Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (ServiceBusException ex) when (ex.Reason == ServiceBusFailureReason.MessageLockLost)
        {
            throw new JobLockLostException(Job.JobId, operation, ex);
        }
    }
}
