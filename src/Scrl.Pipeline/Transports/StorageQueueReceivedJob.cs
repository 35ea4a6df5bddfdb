using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Scrl.Pipeline.Jobs;

namespace Scrl.Pipeline.Transports;

/// <summary>
/// A job received from a Storage queue. Every update returns a new pop receipt and invalidates the old one,
/// so renewals and settle calls are serialized and always use the latest receipt.
/// </summary>
internal sealed class StorageQueueReceivedJob : IReceivedJob
{
    private readonly StorageQueueJobTransport _transport;
    private readonly QueueClient _queue;
    private readonly string _messageId;
    private readonly string _body;
    private readonly TimeSpan _lockDuration;
    private readonly SemaphoreSlim _receiptGate = new(1, 1);
    private string _popReceipt;

    public StorageQueueReceivedJob(StorageQueueJobTransport transport, QueueClient queue, JobMessage job, QueueMessage message, TimeSpan lockDuration)
    {
        _transport = transport;
        _queue = queue;
        _messageId = message.MessageId;
        _popReceipt = message.PopReceipt;
        _body = message.MessageText;
        _lockDuration = lockDuration;
        Job = job;
        DeliveryCount = (int)message.DequeueCount;
    }

    public JobMessage Job { get; }

    public int DeliveryCount { get; }

    public Task RenewLockAsync(CancellationToken cancellationToken) =>
        UpdateVisibilityAsync(_lockDuration, "renewing the lock", cancellationToken);

    public Task AbandonAsync(TimeSpan redeliverAfter, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(redeliverAfter, TimeSpan.Zero);
        return UpdateVisibilityAsync(redeliverAfter, "abandoning", cancellationToken);
    }

    public Task CompleteAsync(CancellationToken cancellationToken) => DeleteAsync("completing", cancellationToken);

    public async Task DeadLetterAsync(string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        // Copy first, then delete: a crash in between leaves a duplicate in the poison queue, never a lost job.
        await _transport.SendToPoisonAsync(_body, reason, DeliveryCount, cancellationToken).ConfigureAwait(false);
        await DeleteAsync("dead-lettering", cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _receiptGate.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task UpdateVisibilityAsync(TimeSpan visibility, string operation, CancellationToken cancellationToken)
    {
        await _receiptGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            UpdateReceipt receipt = (await _queue.UpdateMessageAsync(_messageId, _popReceipt, messageText: null, visibility, cancellationToken)
                                                 .ConfigureAwait(false)).Value;
            _popReceipt = receipt.PopReceipt;
        }
        catch (RequestFailedException ex) when (IsLockLost(ex))
        {
            throw new JobLockLostException(Job.JobId, operation, ex);
        }
        finally
        {
            _receiptGate.Release();
        }
    }

    private async Task DeleteAsync(string operation, CancellationToken cancellationToken)
    {
        await _receiptGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _queue.DeleteMessageAsync(_messageId, _popReceipt, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (IsLockLost(ex))
        {
            throw new JobLockLostException(Job.JobId, operation, ex);
        }
        finally
        {
            _receiptGate.Release();
        }
    }

    // Received again by someone else (400 PopReceiptMismatch) or already deleted (404 MessageNotFound).
    private static bool IsLockLost(RequestFailedException ex) =>
        ex.Status == 404 || ex.ErrorCode == QueueErrorCode.PopReceiptMismatch;
}
