using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging;
using Scrl.Pipeline.Jobs;

namespace Scrl.Pipeline.Transports;

/// <summary>
/// Posts each job to its stage's Service Bus queue (<see cref="StageQueues.Default"/>: shard and roi-eval for the CPU
/// workers, pretrain and finetune for the GPU workers), so each backlog scales its own pool on its own KEDA rule. The
/// Functions app only sends jobs.
/// </summary>
public sealed class StageQueueJobTransport : IJobTransport, IAsyncDisposable
{
    private readonly Dictionary<StageKind, ServiceBusJobTransport> _byStage;

    /// <param name="client">The app's singleton client.</param>
    /// <param name="queues">Queue name per stage; stages sharing a queue share one sender.</param>
    /// <exception cref="ArgumentException">A queue carries stages of both hardware pools (<see cref="StageQueues.MixedQueues"/>).</exception>
    public StageQueueJobTransport(ServiceBusClient client, IReadOnlyDictionary<StageKind, string> queues, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(queues);
        ArgumentNullException.ThrowIfNull(loggers);
        // Missing stages fail at send time with the setting's name; a mixed queue would misplace jobs silently.
        if (StageQueues.MixedQueues(queues) is { Count: > 0 } mixed)
            throw new ArgumentException(string.Join("; ", mixed), nameof(queues));
        var byQueue = new Dictionary<string, ServiceBusJobTransport>(StringComparer.Ordinal);
        _byStage = queues.ToDictionary(
            pair => pair.Key,
            pair => byQueue.TryGetValue(pair.Value, out ServiceBusJobTransport? shared)
                ? shared
                : byQueue[pair.Value] = new ServiceBusJobTransport(client, pair.Value, loggers.CreateLogger<ServiceBusJobTransport>()));
    }

    /// <exception cref="InvalidOperationException">No queue is configured for the job's stage.</exception>
    public Task SendAsync(JobMessage job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return _byStage.TryGetValue(job.Stage, out ServiceBusJobTransport? transport)
            ? transport.SendAsync(job, cancellationToken)
            : throw new InvalidOperationException($"No Service Bus queue is configured for {job.Stage} jobs (Scrl:ServiceBus:Queues:{job.Stage}).");
    }

    /// <summary>Not supported: workers receive, with <c>scrl worker --transport servicebus</c>.</summary>
    public Task<IReceivedJob?> ReceiveAsync(TimeSpan wait, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The Functions app posts jobs; workers receive them.");

    public async ValueTask DisposeAsync()
    {
        foreach (ServiceBusJobTransport transport in _byStage.Values.Distinct())
            await transport.DisposeAsync().ConfigureAwait(false);
    }
}
