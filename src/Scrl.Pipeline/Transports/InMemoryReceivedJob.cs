using Scrl.Pipeline.Jobs;

namespace Scrl.Pipeline.Transports;

/// <summary>
/// A job locked by one receive from <see cref="InMemoryJobTransport"/>. A timer returns it to the queue when
/// the lock runs out; every settle call first checks that this receive still holds the lock.
/// </summary>
internal sealed class InMemoryReceivedJob : IReceivedJob
{
    private enum LockState { Held, Expired, Settled }

    private readonly InMemoryJobTransport _transport;
    private readonly InMemoryJobEnvelope _envelope;
    private readonly TimeProvider _time;
    private readonly ITimer _lockTimer;
    private readonly Lock _gate = new();
    private LockState _state = LockState.Held;

    public InMemoryReceivedJob(InMemoryJobTransport transport, InMemoryJobEnvelope envelope, int deliveryCount, TimeProvider time)
    {
        _transport = transport;
        _envelope = envelope;
        _time = time;
        DeliveryCount = deliveryCount;
        _lockTimer = time.CreateTimer(_ => Expire(), null, transport.LockDuration, Timeout.InfiniteTimeSpan);
    }

    public JobMessage Job => _envelope.Job;

    public int DeliveryCount { get; }

    public Task RenewLockAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ThrowUnlessHeld("renewing the lock");
            _lockTimer.Change(_transport.LockDuration, Timeout.InfiniteTimeSpan);
        }
        return Task.CompletedTask;
    }

    public Task CompleteAsync(CancellationToken cancellationToken)
    {
        Settle("completing");
        return Task.CompletedTask;
    }

    public Task AbandonAsync(TimeSpan redeliverAfter, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(redeliverAfter, TimeSpan.Zero);
        Settle("abandoning");
        if (redeliverAfter == TimeSpan.Zero)
        {
            _transport.Enqueue(_envelope);
            return Task.CompletedTask;
        }
        // A one-shot timer that disposes itself once it has put the job back.
        ITimer? delay = null;
        delay = _time.CreateTimer(_ =>
        {
            _transport.Enqueue(_envelope);
            delay?.Dispose();
        }, null, redeliverAfter, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    public Task DeadLetterAsync(string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        Settle("dead-lettering");
        _transport.DeadLetter(_envelope, DeliveryCount, reason);
        return Task.CompletedTask;
    }

    // Not settling is allowed (a crashed worker settles nothing): the lock timer still returns the job.
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void Settle(string operation)
    {
        lock (_gate)
        {
            ThrowUnlessHeld(operation);
            _state = LockState.Settled;
            _lockTimer.Dispose();
        }
    }

    private void Expire()
    {
        lock (_gate)
        {
            if (_state != LockState.Held) return;
            _state = LockState.Expired;
            _lockTimer.Dispose();
        }
        _transport.Enqueue(_envelope);
    }

    private void ThrowUnlessHeld(string operation)
    {
        if (_state == LockState.Expired) throw new JobLockLostException(Job.JobId, operation);
        if (_state == LockState.Settled) throw new InvalidOperationException($"Job '{Job.JobId}' was already settled before {operation}.");
    }
}
