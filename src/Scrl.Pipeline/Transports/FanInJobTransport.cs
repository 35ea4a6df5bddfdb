using Scrl.Pipeline.Jobs;

namespace Scrl.Pipeline.Transports;

/// <summary>
/// Receives from several queues as one, so a single worker serves every stage queue it is given (Azure posts
/// each stage to its own queue, and KEDA scales the workers on each backlog). Each receive starts at the next
/// queue in turn, so a busy queue cannot starve the others. Sending is routed by the poster, never through here.
/// </summary>
public sealed class FanInJobTransport : IJobTransport
{
    // Below this a Service Bus or Storage receive spends its wait on the round trip alone.
    private static readonly TimeSpan MinimumWaitPerQueue = TimeSpan.FromMilliseconds(200);

    private readonly IReadOnlyList<IJobTransport> _queues;
    private int _next = -1;

    public FanInJobTransport(IReadOnlyList<IJobTransport> queues)
    {
        ArgumentNullException.ThrowIfNull(queues);
        if (queues.Count == 0) throw new ArgumentException("Give at least one queue.", nameof(queues));
        _queues = queues;
    }

    public Task SendAsync(JobMessage job, CancellationToken cancellationToken) =>
        throw new NotSupportedException("A fan-in receives from several queues; send to the stage's queue itself.");

    /// <summary>Tries each queue once, starting at the next in turn, splitting <paramref name="wait"/> between them.</summary>
    public async Task<IReceivedJob?> ReceiveAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        int first = (int)((uint)Interlocked.Increment(ref _next) % (uint)_queues.Count);
        TimeSpan each = TimeSpan.FromTicks(Math.Max(wait.Ticks / _queues.Count, MinimumWaitPerQueue.Ticks));
        for (int i = 0; i < _queues.Count; i++)
        {
            IJobTransport queue = _queues[(first + i) % _queues.Count];
            if (await queue.ReceiveAsync(each, cancellationToken).ConfigureAwait(false) is { } received) return received;
        }
        return null;
    }
}
