using Microsoft.Extensions.Logging;
using Scrl.Pipeline.Artifacts;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Outcomes;
using Scrl.Worker.Stages;

namespace Scrl.Worker;

/// <summary>
/// The worker's message loop: <see cref="JobWorkerOptions.Concurrency"/> loops, each receiving one job at a
/// time and handing it to the job processor. This is the host boundary: a job that throws is logged with its
/// run, stage and job ids and retried (or dead-lettered on its last delivery), and the loop goes on.
/// </summary>
public sealed class JobWorker
{
    private readonly IJobTransport _transport;
    private readonly JobProcessor _processor;
    private readonly JobWorkerOptions _options;
    private readonly ILogger<JobWorker> _log;

    public JobWorker(IJobTransport transport, IArtifactStore store, IJobOutcomeSink sink, IEnumerable<IStageRunner> runners,
                     JobWorkerOptions options, ILogger<JobWorker> logger)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(runners);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _transport = transport;
        _options = options;
        _log = logger;
        _processor = new JobProcessor(store, sink, runners.ToDictionary(r => r.Stage), options, logger);
    }

    /// <summary>Runs until <paramref name="stoppingToken"/> fires; running jobs then checkpoint and are abandoned.</summary>
    public Task RunAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, _options.Concurrency).Select(_ => LoopAsync(stoppingToken)));

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            IReceivedJob? received;
            try
            {
                received = await _transport.ReceiveAsync(_options.ReceiveWait, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _log.LogError(ex, "Receiving a job failed; retrying after {Delay}", _options.ReceiveWait);
                await Task.Delay(_options.ReceiveWait, stoppingToken).ConfigureAwait(false);
                continue;
            }
            if (received is not null) await HandleAsync(received, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(IReceivedJob received, CancellationToken stoppingToken)
    {
        await using (received)
        {
            JobMessage job = received.Job;
            using IDisposable? scope = _log.BeginScope(new Dictionary<string, object>
            {
                ["RunId"] = job.RunId, ["Stage"] = job.Stage, ["JobId"] = job.JobId,
            });
            try
            {
                await _processor.ProcessAsync(received, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                _log.LogWarning("Stopped while handling the job; its lock will expire and it will be delivered again");
            }
            catch (Exception ex)
            {
                _log.LogError(ex, "Job failed on delivery {DeliveryCount}", received.DeliveryCount);
                await SettleFailureAsync(received, ex, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task SettleFailureAsync(IReceivedJob received, Exception error, CancellationToken stoppingToken)
    {
        try
        {
            await _processor.FailAsync(received, error, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The lock will lapse and the job come back; nothing more to do here.
            _log.LogError(ex, "Settling the failed job failed too; it will be delivered again when its lock expires");
        }
    }
}
