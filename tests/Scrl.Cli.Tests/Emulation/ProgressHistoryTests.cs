using Azure.Data.Tables;
using DurableTask.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Scrl.Pipeline.Api;
using Scrl.Pipeline.Artifacts;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Specs;
using Scrl.Pipeline.Tests.Azurite;

namespace Scrl.Cli.Tests.Emulation;

/// <summary>
/// Progress travels through Blob storage, not through the orchestration: while a stage's worker writes many progress
/// updates, the run's rows in the task hub's History table (DurableTask.AzureStorage on Azurite, as under
/// <c>scrl emulate</c>) stay as they were, and the status route still shows the newest update.
/// </summary>
[Collection(AzuriteCollection.Name)]
[Trait("Category", "Azurite")]
public sealed class ProgressHistoryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task ManyProgressUpdatesWhileAStageRuns_AddNoHistoryRows_AndTheStatusShowsTheLast()
    {
        string id = Guid.NewGuid().ToString("N")[..10];
        var options = new EmulatorOptions { StorageConnectionString = azurite.Endpoints.ConnectionString, DataDirectory = Path.GetTempPath(), TaskHub = "hist" + id };
        IArtifactStore store = await BlobArtifactStore.CreateContainerIfNotExistsAsync(new BlobArtifactStoreOptions
        {
            ConnectionString = options.StorageConnectionString,
            ContainerName = "hist-" + id,
            TransferChecksum = Azure.Storage.StorageChecksumAlgorithm.MD5,
        });
        var worker = new HeartbeatWorker(store, beats: 200);
        await using ServiceProvider services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(store)
            .AddSingleton<IJobTransport>(worker)
            .BuildServiceProvider();
        await using DurableTaskHost durable = await DurableTaskHost.StartAsync(options, services, NullLoggerFactory.Instance, CancellationToken.None);
        worker.Client = durable.Client;
        var history = new TableClient(options.StorageConnectionString, options.TaskHub + "History");
        string runId = "run-" + id;

        await durable.Client.CreateOrchestrationInstanceAsync(nameof(ScrlRunOrchestrator), string.Empty, runId, Spec(runId));
        await worker.PretrainReceived.WaitAsync(TimeSpan.FromSeconds(60));
        int before = await SettledRowsAsync(history, runId);
        worker.Beat();
        await worker.Beaten.WaitAsync(TimeSpan.FromSeconds(60));
        int after = await SettledRowsAsync(history, runId);
        RunStatus status = await StatusAsync(durable, store, runId);
        worker.Finish();
        OrchestrationState done = await durable.Client.WaitForOrchestrationAsync(new OrchestrationInstance { InstanceId = runId }, TimeSpan.FromSeconds(60));

        Assert.True(before > 0, "the run has history while pretraining");
        Assert.Equal(before, after);   // 200 progress updates in between
        StageProgress pretrain = Assert.Single(status.Progress!.Stages);
        Assert.Equal(("pretrain", 200L, 200L), (pretrain.Stage, pretrain.Step, pretrain.TotalSteps));
        Assert.Equal(OrchestrationStatus.Completed, done.OrchestrationStatus);
        Assert.True(await RowsAsync(history, runId) > after, "the completion event and the stages after it add history");
    }

    /// <summary>The run's row count once it has held still for two seconds: the orchestration has written what the last
    /// event led to (the emulator's host polls its queues at least every second).</summary>
    private static async Task<int> SettledRowsAsync(TableClient history, string runId)
    {
        int rows = await RowsAsync(history, runId);
        for (int still = 0; still < 4; )
        {
            await Task.Delay(500);
            int now = await RowsAsync(history, runId);
            still = now == rows ? still + 1 : 0;
            rows = now;
        }
        return rows;
    }

    private static async Task<int> RowsAsync(TableClient history, string runId)
    {
        int rows = 0;
        await foreach (TableEntity _ in history.QueryAsync<TableEntity>(e => e.PartitionKey == runId, select: ["PartitionKey"])) rows++;
        return rows;
    }

    /// <summary>The run's status as <c>GET /api/runs/{id}</c> builds it.</summary>
    private static async Task<RunStatus> StatusAsync(DurableTaskHost durable, IArtifactStore store, string runId)
    {
        OrchestrationState state = await durable.Client.GetOrchestrationStateAsync(runId) ?? throw new InvalidOperationException("no run");
        RunProgress? progress = DurableTaskHost.Converter.Deserialize<RunProgress>(state.Status);
        return await WorkerProgress.AddAsync(new RunStatus(runId, state.OrchestrationStatus.ToString(), state.CreatedTime, state.LastUpdatedTime,
                                                           progress, null, null), store);
    }

    private static RunSpec Spec(string runId)
    {
        var quick = new StagePolicy { Timeout = TimeSpan.FromMinutes(5), ResultCheckInterval = TimeSpan.FromMinutes(5), MaxAttempts = 1 };
        return new RunSpec
        {
            RunId = runId,
            Dataset = new DatasetSpec { Source = "file:///data/coco", Format = DatasetFormat.Coco },
            Preset = "demo",
            RoiEval = new RoiEvalSpec { Enabled = false },
            Stages = new StagePolicies { Shard = quick, Pretrain = quick, RoiEval = quick, Finetune = quick },
        };
    }
}
