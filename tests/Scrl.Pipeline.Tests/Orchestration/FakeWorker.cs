using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using Scrl.Pipeline.Artifacts;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Specs;

namespace Scrl.Pipeline.Tests.Orchestration;

/// <summary>What the fake worker does with one job.</summary>
internal abstract record JobScript
{
    /// <summary>Writes progress, then reports success with <paramref name="metrics"/> through the completion event.</summary>
    public sealed record Succeed(IReadOnlyDictionary<string, double>? Metrics = null) : JobScript;

    /// <summary>Reports a failure through the completion event.</summary>
    public sealed record Fail(string Reason) : JobScript;

    /// <summary>Writes the result manifest (as a real worker does before calling back) but the callback is lost.</summary>
    public sealed record LoseCallback(IReadOnlyDictionary<string, double> Metrics) : JobScript;

    /// <summary>Reports a failure only after <paramref name="Delay"/> more: an attempt the orchestrator gave up on, ending late.</summary>
    public sealed record FailLate(string Reason, TimeSpan Delay) : JobScript;

    /// <summary>Writes one progress snapshot and then nothing: a hung or vanished worker.</summary>
    public sealed record Hang(long Step, long TotalSteps, double Loss) : JobScript;
}

/// <summary>
/// A test transport that runs each job it is sent after <see cref="JobDuration"/> by raising the job's completion event
/// on the run through the real <see cref="DurableTaskClient"/>, as a worker's callback does, and writing its progress
/// to the store, as a worker's heartbeat does. What it does per job
/// comes from <see cref="Script"/>; every job it was sent, and when it ran, is recorded.
/// </summary>
internal sealed class FakeWorker(IArtifactStore store) : IJobTransport, IAsyncDisposable
{
    private readonly ConcurrentQueue<Task> _running = new();
    private readonly ConcurrentQueue<(JobMessage Job, DateTime Started, DateTime Ended)> _log = new();
    private readonly object _gate = new();
    private readonly HashSet<string> _activeRuns = [];

    public DurableTaskClient? Client { get; set; }

    public TimeSpan JobDuration { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Chooses each job's behaviour; default: succeed with a loss metric.</summary>
    public Func<JobMessage, JobScript> Script { get; set; } = _ => new JobScript.Succeed();

    /// <summary>Jobs sent, in order.</summary>
    public ConcurrentQueue<JobMessage> Sent { get; } = new();

    /// <summary>Most runs that had started their shard job and not yet finished pretraining, at one time.</summary>
    public int MaxConcurrentRuns { get; private set; }

    public IReadOnlyList<(JobMessage Job, DateTime Started, DateTime Ended)> Executions => [.. _log];

    public Task SendAsync(JobMessage job, CancellationToken cancellationToken)
    {
        Sent.Enqueue(job);
        _running.Enqueue(Task.Run(() => RunAsync(job), CancellationToken.None));
        return Task.CompletedTask;
    }

    public Task<IReceivedJob?> ReceiveAsync(TimeSpan wait, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The fake worker executes jobs as they are sent; nothing waits to be received.");

    public async ValueTask DisposeAsync()
    {
        while (_running.TryDequeue(out Task? task)) await task;
    }

    private async Task RunAsync(JobMessage job)
    {
        DurableTaskClient client = Client ?? throw new InvalidOperationException("Set Client before starting runs.");
        if (job.Stage == StageKind.Shard) Track(job.RunId, started: true);
        DateTime started = DateTime.UtcNow;
        JobScript script = Script(job);
        await WriteProgressAsync(job, 1, 2, 0.5);
        await Task.Delay(JobDuration);
        switch (script)
        {
            case JobScript.Succeed s:
                await CompleteAsync(client, job, Outcome(job, JobStatus.Succeeded, null, s.Metrics ?? new Dictionary<string, double> { ["finalLoss"] = 0.25 }));
                break;
            case JobScript.Fail f:
                await CompleteAsync(client, job, Outcome(job, JobStatus.Failed, f.Reason, new Dictionary<string, double>()));
                break;
            case JobScript.FailLate f:
                await Task.Delay(f.Delay);
                await CompleteAsync(client, job, Outcome(job, JobStatus.Failed, f.Reason, new Dictionary<string, double>()));
                break;
            case JobScript.LoseCallback l:
                await WriteManifestAsync(job, Outcome(job, JobStatus.Succeeded, null, l.Metrics));
                break;
            case JobScript.Hang h:
                await WriteProgressAsync(job, h.Step, h.TotalSteps, h.Loss);
                break;
        }
        _log.Enqueue((job, started, DateTime.UtcNow));
    }

    private async Task CompleteAsync(DurableTaskClient client, JobMessage job, JobOutcome outcome)
    {
        await WriteManifestAsync(job, outcome);
        if (job.Stage == StageKind.Pretrain) Track(job.RunId, started: false);
        await client.RaiseEventAsync(job.RunId, EventNames.JobCompletedFor(job.JobId), outcome);
    }

    private Task WriteProgressAsync(JobMessage job, long step, long totalSteps, double loss) =>
        JobProgressBlob.WriteAsync(store, job, new JobProgressSnapshot(job.JobId, job.Attempt, step, totalSteps, loss, DateTimeOffset.UtcNow),
                                   CancellationToken.None);

    private async Task WriteManifestAsync(JobMessage job, JobOutcome outcome) =>
        await store.UploadAsync(PipelineArtifacts.ResultManifest(job.ArtifactPrefix),
                                new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(outcome, SpecJson.Options)));

    private static JobOutcome Outcome(JobMessage job, JobStatus status, string? reason, IReadOnlyDictionary<string, double> metrics) =>
        new(job.JobId, status, reason, metrics, status == JobStatus.Succeeded ? [job.ArtifactPrefix + "out.bin"] : []) { Attempt = job.Attempt };

    private void Track(string runId, bool started)
    {
        lock (_gate)
        {
            if (started) _activeRuns.Add(runId);
            else _activeRuns.Remove(runId);
            MaxConcurrentRuns = Math.Max(MaxConcurrentRuns, _activeRuns.Count);
        }
    }
}
