using System.Diagnostics;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Outcomes;
using Scrl.Pipeline.Specs;
using Scrl.Pipeline.Tests.ServiceBus;
using Scrl.Pipeline.Transports;

namespace Scrl.Pipeline.Tests.Orchestration;

/// <summary>
/// A run whose jobs go through Service Bus (the test broker, with the queue's delivery limit) to a worker that dies on
/// every delivery: the broker dead-letters the job, the <see cref="DeadLetterWatcher"/> reads it, and the stage fails.
/// </summary>
public sealed class DeadLetterRunTests
{
    [Fact]
    public async Task Run_JobDeadLetteredPastItsDeliveryLimit_FailsTheStageWithinAMinute_WithTheBrokersReason()
    {
        using ServiceBusTestBroker broker = ServiceBusTestBroker.Start();
        broker.CreateQueue("jobs", TimeSpan.FromSeconds(30), maxDeliveryCount: 3);
        await using var client = new ServiceBusClient(broker.ConnectionString);
        await using var functions = new ServiceBusJobTransport(client, "jobs");
        await using var worker = new ServiceBusJobTransport(client, "jobs");
        await using PipelineHost host = await PipelineHost.StartAsync(functions);
        using var stop = new CancellationTokenSource();
        var watcher = new DeadLetterWatcher([worker], host.Store, new DurableEventOutcomeSink(host.Client), NullLogger<DeadLetterWatcher>.Instance);
        Task watching = watcher.RunAsync(stop.Token);
        Task crashing = AbandonEveryDeliveryAsync(worker, stop.Token);

        string runId = TestSpecs.NewId("run");
        // Hour-long deadlines and result checks: only the dead letter can end this stage within the test's minute.
        StagePolicy patient = TestSpecs.Quick(timeout: TimeSpan.FromHours(1), maxAttempts: 3, resultCheckInterval: TimeSpan.FromHours(1));
        RunSpec spec = TestSpecs.Run(runId) with { Stages = new StagePolicies { Shard = patient, Pretrain = patient, RoiEval = patient, Finetune = patient } };
        var clock = Stopwatch.StartNew();
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ScrlRunOrchestrator), spec, new StartOrchestrationOptions(runId));
        OrchestrationMetadata done = await host.WaitAsync(runId, TimeSpan.FromMinutes(1));
        await stop.CancelAsync();
        await Task.WhenAll(watching, crashing);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), $"took {clock.Elapsed}");
        string reason = done.FailureDetails!.ErrorMessage;
        Assert.Contains("shard failed on attempt 1, dead-lettered", reason);
        Assert.Contains("MaxDeliveryCountExceeded: Message could not be consumed after 3 delivery attempts.", reason);
        // No second attempt: it would be dead-lettered the same way.
        Assert.Equal(0, broker.CountMessages("jobs"));
        Assert.Equal(0, broker.CountMessages("jobs/$deadletterqueue"));
        JobOutcome result = JobJson.DeserializeOutcome(System.Text.Encoding.UTF8.GetBytes(await host.ReadTextAsync($"runs/{runId}/shard/result.json")));
        Assert.Equal((JobStatus.Failed, 1, true), (result.Status, result.Attempt, result.DeadLettered));
        DeadLetteredJob kept = JobJson.DeserializeDeadLetter(System.Text.Encoding.UTF8.GetBytes(
            await host.ReadTextAsync($"runs/{runId}/shard/dead-letter-attempt-1.json")));
        Assert.Equal(3, kept.DeliveryCount);
        Assert.Equal(runId, JsonDocument.Parse(kept.Body).RootElement.GetProperty("runId").GetString());
        Assert.Empty(broker.Faults);
    }

    // A worker that dies with every job it takes: each delivery ends unsettled, and counts.
    private static async Task AbandonEveryDeliveryAsync(IJobTransport worker, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (await worker.ReceiveAsync(TimeSpan.FromSeconds(1), stop) is { } job) await job.AbandonAsync(stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
