using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging.Abstractions;
using Scrl.Pipeline.Artifacts;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Outcomes;
using Scrl.Pipeline.Tests.ServiceBus;
using Scrl.Pipeline.Tests.Transports;
using Scrl.Pipeline.Transports;

namespace Scrl.Pipeline.Tests.Outcomes;

/// <summary><see cref="DeadLetterWatcher"/> on dead letters the test broker made, with a local artifact store.</summary>
public sealed class DeadLetterWatcherTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly ServiceBusTestBroker _broker = ServiceBusTestBroker.Start();
    private readonly string _root = Path.Combine(Path.GetTempPath(), "scrl-deadletter-" + Guid.NewGuid().ToString("N"));
    private readonly ReportedOutcomes _reported = new();
    private ServiceBusClient _client = null!;
    private ServiceBusJobTransport _transport = null!;
    private LocalFolderArtifactStore _store = null!;
    private DeadLetterWatcher _watcher = null!;

    public Task InitializeAsync()
    {
        _broker.CreateQueue("jobs", TimeSpan.FromSeconds(30), maxDeliveryCount: 1);
        _client = new ServiceBusClient(_broker.ConnectionString);
        _transport = new ServiceBusJobTransport(_client, "jobs");
        _store = new LocalFolderArtifactStore(_root);
        _watcher = new DeadLetterWatcher([_transport], _store, _reported, NullLogger<DeadLetterWatcher>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _transport.DisposeAsync();
        await _client.DisposeAsync();
        _broker.Dispose();
        Directory.Delete(_root, recursive: true);
        Assert.Empty(_broker.Faults);
    }

    [Fact]
    public async Task SameAttempt_DeadLetteredTwice_IsReportedOnce()
    {
        // The second copy stands for a dead letter read again after its first reader died before completing it.
        JobMessage job = await DeadLetterAsync(TestJobs.Pretrain("a") with { Attempt = 2 });
        await DeadLetterAsync(job);

        for (int copy = 0; copy < 2; copy++)
            await _watcher.HandleAsync("jobs", (await _transport.ReceiveDeadLetterAsync(Wait, CancellationToken.None))!, CancellationToken.None);

        JobOutcome reported = Assert.Single(_reported.Outcomes);
        Assert.Equal((JobStatus.Failed, 2, true), (reported.Status, reported.Attempt, reported.DeadLettered));
        Assert.Contains("Dead-lettered by jobs after 1 deliveries: MaxDeliveryCountExceeded", reported.Reason);
        JobOutcome stored = (await JobArtifacts.TryReadResultAsync(_store, job, CancellationToken.None))!;
        Assert.Equal((reported.Reason, 2, true), (stored.Reason, stored.Attempt, stored.DeadLettered));
        Assert.Equal(0, _broker.CountMessages("jobs/$deadletterqueue"));
    }

    [Fact]
    public async Task DeadLetter_WhileAWorkerHoldsTheJobsClaim_ReportsNothing()
    {
        JobMessage job = await DeadLetterAsync(TestJobs.Pretrain("b"));
        await using IArtifactClaim running = (await _store.TryClaimAsync(JobArtifacts.Claim(job), TimeSpan.FromMinutes(1)))!;

        await _watcher.HandleAsync("jobs", (await _transport.ReceiveDeadLetterAsync(Wait, CancellationToken.None))!, CancellationToken.None);

        Assert.Empty(_reported.Outcomes);
        Assert.Null(await JobArtifacts.TryReadResultAsync(_store, job, CancellationToken.None));
        Assert.True(await _store.ExistsAsync("runs/run-1/pretrain/dead-letter-attempt-1.json"));
        Assert.Equal(0, _broker.CountMessages("jobs/$deadletterqueue"));
    }

    [Fact]
    public async Task DeadLetter_OfAnAttemptThatReportedItsOwnFailure_ReportsNothingMore()
    {
        JobMessage job = await DeadLetterAsync(TestJobs.Pretrain("c"));
        var own = new JobOutcome(job.JobId, JobStatus.Failed, "Invalid options: ...", new Dictionary<string, double>(), []) { DeadLettered = true };
        await JobArtifacts.WriteResultAsync(_store, job, own, CancellationToken.None);

        await _watcher.HandleAsync("jobs", (await _transport.ReceiveDeadLetterAsync(Wait, CancellationToken.None))!, CancellationToken.None);

        Assert.Empty(_reported.Outcomes);
        Assert.Equal("Invalid options: ...", (await JobArtifacts.TryReadResultAsync(_store, job, CancellationToken.None))!.Reason);
    }

    // One delivery that ends unsettled is the queue's limit: the broker dead-letters the job.
    private async Task<JobMessage> DeadLetterAsync(JobMessage job)
    {
        await _transport.SendAsync(job, CancellationToken.None);
        await (await _transport.ReceiveAsync(Wait, CancellationToken.None))!.AbandonAsync(CancellationToken.None);
        return job;
    }

    private sealed class ReportedOutcomes : IJobOutcomeSink
    {
        public ConcurrentQueue<JobOutcome> Outcomes { get; } = new();

        public Task ReportOutcomeAsync(JobMessage job, JobOutcome outcome, CancellationToken cancellationToken)
        {
            Outcomes.Enqueue(outcome);
            return Task.CompletedTask;
        }
    }
}
