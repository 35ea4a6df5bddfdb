using System.Collections.Concurrent;
using System.Threading.Channels;
using Scrl.Pipeline.Jobs;

namespace Scrl.Pipeline.Transports;

/// <summary>
/// Jobs in process memory with the same peek-lock semantics as the queue services: a received job stays
/// invisible for <see cref="LockDuration"/>; if it is not completed, abandoned or dead-lettered in time it is
/// delivered again with <see cref="IReceivedJob.DeliveryCount"/> + 1. For embedded runs and tests.
/// </summary>
public sealed class InMemoryJobTransport : IJobTransport
{
    private readonly Channel<InMemoryJobEnvelope> _ready = Channel.CreateUnbounded<InMemoryJobEnvelope>();
    private readonly ConcurrentQueue<DeadLetteredJob> _deadLetters = new();
    private readonly TimeProvider _time;

    public InMemoryJobTransport(TimeSpan lockDuration, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lockDuration, TimeSpan.Zero);
        LockDuration = lockDuration;
        _time = timeProvider ?? TimeProvider.System;
    }

    public TimeSpan LockDuration { get; }

    /// <summary>Jobs dead-lettered so far, oldest first.</summary>
    public IReadOnlyCollection<DeadLetteredJob> DeadLetters => _deadLetters;

    public Task SendAsync(JobMessage job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        cancellationToken.ThrowIfCancellationRequested();
        Enqueue(new InMemoryJobEnvelope(job));
        return Task.CompletedTask;
    }

    public async Task<IReceivedJob?> ReceiveAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        InMemoryJobEnvelope envelope;
        try
        {
            envelope = await _ready.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        return new InMemoryReceivedJob(this, envelope, Interlocked.Increment(ref envelope.DeliveryCount), _time);
    }

    internal void Enqueue(InMemoryJobEnvelope envelope) =>
        _ready.Writer.TryWrite(envelope);   // unbounded: never fails

    internal void DeadLetter(InMemoryJobEnvelope envelope, int deliveryCount, string reason) =>
        _deadLetters.Enqueue(new DeadLetteredJob(reason, System.Text.Encoding.UTF8.GetString(JobJson.Serialize(envelope.Job)),
                                                 deliveryCount, _time.GetUtcNow()));
}

/// <summary>One queued job and how often it has been delivered.</summary>
internal sealed class InMemoryJobEnvelope(JobMessage job)
{
    public JobMessage Job { get; } = job;

    public int DeliveryCount;   // incremented on each receive, as Service Bus does
}
