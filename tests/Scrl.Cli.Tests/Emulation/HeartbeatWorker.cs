using DurableTask.Core;
using Scrl.Pipeline.Artifacts;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Orchestration;

namespace Scrl.Cli.Tests.Emulation;

/// <summary>
/// A job transport that runs each job it is sent as a long job's worker would, minus the training: the pretrain job
/// waits for <see cref="Beat"/>, writes its progress blob <see cref="Beats"/> times, then waits for <see cref="Finish"/>;
/// every other job succeeds at once. Outcomes are raised on the run through the emulator's own Durable client, as its outcomes pump does.
/// </summary>
internal sealed class HeartbeatWorker(IArtifactStore store, int beats) : IJobTransport
{
    private readonly TaskCompletionSource _pretrainReceived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _beat = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _beaten = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskHubClient? Client { get; set; }

    public int Beats => beats;

    /// <summary>Completes when the pretrain job has arrived.</summary>
    public Task PretrainReceived => _pretrainReceived.Task;

    /// <summary>Completes when the pretrain job has written every beat and is waiting to finish.</summary>
    public Task Beaten => _beaten.Task;

    /// <summary>Lets the pretrain job start beating.</summary>
    public void Beat() => _beat.TrySetResult();

    /// <summary>Lets the pretrain job report its success.</summary>
    public void Finish() => _finish.TrySetResult();

    public Task SendAsync(JobMessage job, CancellationToken cancellationToken)
    {
        _ = Task.Run(() => RunAsync(job), CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task<IReceivedJob?> ReceiveAsync(TimeSpan wait, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Jobs run as they are sent.");

    private async Task RunAsync(JobMessage job)
    {
        if (job.Stage == StageKind.Pretrain)
        {
            _pretrainReceived.TrySetResult();
            await _beat.Task;
            for (int step = 1; step <= beats; step++)
            {
                await JobProgressBlob.WriteAsync(store, job, new JobProgressSnapshot(job.JobId, job.Attempt, step, beats, 1.0 / step,
                                                                                      DateTimeOffset.UtcNow), CancellationToken.None);
                await Task.Delay(20);
            }
            _beaten.TrySetResult();
            await _finish.Task;
        }
        var outcome = new JobOutcome(job.JobId, JobStatus.Succeeded, null, new Dictionary<string, double>(), [job.ArtifactPrefix + "out.bin"])
        {
            Attempt = job.Attempt,
        };
        await JobArtifacts.WriteResultAsync(store, job, outcome, CancellationToken.None);
        TaskHubClient client = Client ?? throw new InvalidOperationException("Set Client before starting runs.");
        await client.RaiseEventAsync(new OrchestrationInstance { InstanceId = job.RunId }, EventNames.JobCompletedFor(job.JobId), outcome);
    }
}
