using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging.Abstractions;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Tests.ServiceBus;
using Scrl.Pipeline.Transports;

namespace Scrl.Pipeline.Tests.Transports;

/// <summary><see cref="StageQueueJobTransport"/> posting through the real SDK to <see cref="ServiceBusTestBroker"/>, with the
/// queue names infra creates: CPU stages to the CPU pool's queues, GPU stages to the GPU pool's.</summary>
public sealed class StageQueueJobTransportTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly ServiceBusTestBroker _broker = ServiceBusTestBroker.Start();
    private readonly ServiceBusClient _client;

    public StageQueueJobTransportTests() => _client = new ServiceBusClient(_broker.ConnectionString);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        _broker.Dispose();
        Assert.Empty(_broker.Faults);
    }

    [Fact]
    public async Task SendAsync_EachWorkerStage_LandsOnItsOwnQueueOnly()
    {
        foreach (string queue in StageQueues.Default.Values) _broker.CreateQueue(queue, TimeSpan.FromSeconds(30));
        await using var transport = new StageQueueJobTransport(_client, StageQueues.Default, NullLoggerFactory.Instance);

        foreach (StageKind stage in StageQueues.WorkerStages)
            await transport.SendAsync(Job(stage), CancellationToken.None);

        Assert.All(StageQueues.Default.Values, queue => Assert.Equal(1, _broker.CountMessages(queue)));
        var received = new Dictionary<string, StageKind>();
        foreach (string queue in StageQueues.Default.Values)
        {
            await using var receiver = new ServiceBusJobTransport(_client, queue);
            received[queue] = (await receiver.ReceiveAsync(Wait, CancellationToken.None))!.Job.Stage;
        }
        Assert.Equal(new Dictionary<string, StageKind>
        {
            ["shard"] = StageKind.Shard,
            ["pretrain"] = StageKind.Pretrain,
            ["roi-eval"] = StageKind.RoiEval,
            ["finetune"] = StageKind.Finetune,
        }, received);
    }

    [Fact]
    public void HardwareOf_SendsShardAndRoiEvalToCpu_PretrainAndFinetuneToGpu()
    {
        Assert.Equal([JobHardware.Cpu, JobHardware.Gpu, JobHardware.Cpu, JobHardware.Gpu],
                     StageQueues.WorkerStages.Select(StageQueues.HardwareOf));
        Assert.Empty(StageQueues.Problems(StageQueues.Default, "queues"));
    }

    [Fact]
    public void Constructor_QueueSharedByCpuAndGpuStages_Throws()
    {
        var mixed = new Dictionary<StageKind, string>(StageQueues.Default) { [StageKind.Shard] = "pretrain" };

        var error = Assert.Throws<ArgumentException>(() => new StageQueueJobTransport(_client, mixed, NullLoggerFactory.Instance));

        Assert.Contains("queue 'pretrain' carries CPU and GPU stages (Shard, Pretrain)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_StageWithoutQueue_ThrowsNamingTheSetting()
    {
        await using var transport = new StageQueueJobTransport(_client, new Dictionary<StageKind, string> { [StageKind.Pretrain] = "pretrain" },
                                                               NullLoggerFactory.Instance);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => transport.SendAsync(Job(StageKind.Finetune), CancellationToken.None));

        Assert.Contains("Scrl:ServiceBus:Queues:Finetune", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReceiveAsync_IsNotOffered_ThePosterOnlySends()
    {
        await using var transport = new StageQueueJobTransport(_client, new Dictionary<StageKind, string>(), NullLoggerFactory.Instance);

        await Assert.ThrowsAsync<NotSupportedException>(() => transport.ReceiveAsync(TimeSpan.Zero, CancellationToken.None));
    }

    private static JobMessage Job(StageKind stage) =>
        new($"run-1-{stage}", "run-1", stage, 1, "{}", $"runs/run-1/{stage}/", DateTimeOffset.UnixEpoch.AddYears(60));
}
