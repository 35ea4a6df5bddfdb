using Azure.Storage.Queues;
using Microsoft.Extensions.Logging.Abstractions;
using Scrl.Core.Data.Synthetic;
using Scrl.Pipeline.Artifacts;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Outcomes;
using Scrl.Pipeline.Tests.Azurite;
using Scrl.Pipeline.Transports;
using Scrl.Worker.Stages.Finetune;
using Scrl.Worker.Stages.Pretrain;
using Scrl.Worker.Stages.RoiEval;

namespace Scrl.Worker.Tests;

/// <summary>
/// A real worker on Azurite for one test: its own blob container, jobs queue (+ poison) and outcomes queue,
/// the tiny generated dataset uploaded under <c>datasets/</c>, and short timings so a test takes seconds.
/// </summary>
internal sealed class WorkerHarness : IAsyncDisposable
{
    public const string DatasetPrefix = "datasets/0123456789abcdef/shapes/";
    private readonly string _scratch = Directory.CreateTempSubdirectory("scrl-worker-").FullName;
    private CancellationTokenSource _stop = new();
    private Task? _running;

    private WorkerHarness(IArtifactStore store, StorageQueueJobTransport transport, QueueClient jobs, QueueClient poison, QueueClient outcomes)
        => (Store, Transport, Jobs, Poison, Outcomes) = (store, transport, jobs, poison, outcomes);

    public IArtifactStore Store { get; }
    public StorageQueueJobTransport Transport { get; }
    public QueueClient Jobs { get; }
    public QueueClient Poison { get; }
    public QueueClient Outcomes { get; }

    /// <summary>The worker's scratch space (its in-flight ledger included).</summary>
    public string WorkDirectory => _scratch;

    /// <summary>A COCO root (train2017 + val2017) on local disk, as the RoI-eval and fine-tune stages read their splits.</summary>
    public string LocalCoco { get; private set; } = "";

    public static async Task<WorkerHarness> CreateAsync(AzuriteEndpoints azurite)
    {
        string id = Guid.NewGuid().ToString("N")[..12];
        var store = await BlobArtifactStore.CreateContainerIfNotExistsAsync(new BlobArtifactStoreOptions
        {
            ConnectionString = azurite.ConnectionString,
            ContainerName = "w" + id,
            TransferChecksum = Azure.Storage.StorageChecksumAlgorithm.MD5,   // Azurite 3.35 does not acknowledge CRC64 structured bodies
        });
        var queues = new QueueServiceClient(azurite.ConnectionString);
        var transport = StorageQueueJobTransport.Create(queues, "jobs-" + id,
            new StorageQueueJobTransportOptions { LockDuration = TimeSpan.FromSeconds(20), PollInterval = TimeSpan.FromMilliseconds(200) });
        await transport.CreateIfNotExistsAsync(CancellationToken.None);
        QueueClient outcomes = queues.GetQueueClient("outcomes-" + id);
        await outcomes.CreateIfNotExistsAsync();
        var harness = new WorkerHarness(store, transport, queues.GetQueueClient("jobs-" + id),
                                        queues.GetQueueClient(StorageQueueJobTransport.PoisonQueueName("jobs-" + id)), outcomes);
        await harness.UploadDatasetAsync();
        harness.LocalCoco = Path.Combine(harness._scratch, "local-coco");
        SyntheticShapesDataset.Generate(new SyntheticDatasetOptions { TrainImages = 8, ValImages = 4, MinSide = 72, MaxSide = 112 },
                                        harness.LocalCoco, progress: null, CancellationToken.None);
        return harness;
    }

    /// <summary>A pretrain job on the tiny dataset: ResNet-18 at 64 px, batch 4.</summary>
    public static JobMessage PretrainJob(string jobId, int maxSteps, int checkpointEvery, string? optionsJson = null) => new(
        jobId, "run-" + jobId, StageKind.Pretrain, 1,
        optionsJson ?? $$"""
        {"preset":"demo","datasetPrefix":"{{DatasetPrefix}}","overrides":[
          "augment.inputSize=64","boxes.inputSize=64","run.batchSize=4","run.epochs=50","optim.warmupEpochs=1",
          "network.hiddenSize=64","network.projectionSize=32","run.seed=3","data.decodeWorkers=1","data.format=Coco",
          "run.maxSteps={{maxSteps}}","run.checkpointEverySteps={{checkpointEvery}}","run.logEverySteps=1"]}
        """,
        $"runs/run-{jobId}/pretrain/", DateTimeOffset.UtcNow.AddHours(1));

    /// <summary>Starts a worker; after <see cref="StopAsync"/> a new one can be started, as after a restart.</summary>
    public void Start(int maxDeliveries = 5, TimeSpan? claimHeldRetryDelay = null)
    {
        if (_stop.IsCancellationRequested) _stop = new CancellationTokenSource();
        var options = new JobWorkerOptions
        {
            WorkDirectory = _scratch,
            MaxDeliveries = maxDeliveries,
            ReceiveWait = TimeSpan.FromSeconds(1),
            ClaimLease = TimeSpan.FromSeconds(15),
            ClaimHeldRetryDelay = claimHeldRetryDelay ?? TimeSpan.FromSeconds(1),
            HeartbeatInterval = TimeSpan.FromSeconds(2),
        };
        var worker = new JobWorker(Transport, Store, new StorageQueueOutcomeSink(Outcomes),
                                   [new PretrainStageRunner("cpu", TimeSpan.FromMilliseconds(200), NullLoggerFactory.Instance),
                                    new RoiEvalStageRunner("cpu", NullLogger<RoiEvalStageRunner>.Instance),
                                    new FinetuneStageRunner("cpu", TimeSpan.FromMilliseconds(200), NullLogger<FinetuneStageRunner>.Instance)],
                                   options, NullLogger<JobWorker>.Instance);
        _running = Task.Run(() => worker.RunAsync(_stop.Token));
    }

    /// <summary>Stops the worker as SIGTERM would and waits for it to settle its jobs.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null) await _running;
    }

    /// <summary>Waits for the first outcome report on the outcomes queue.</summary>
    public async Task<JobReport> NextOutcomeAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            foreach (var message in (await Outcomes.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5), deadline.Token)).Value)
            {
                return JobJson.DeserializeReport(Convert.FromBase64String(message.MessageText));
            }
            await Task.Delay(200, deadline.Token);
        }
    }

    public async Task<DeadLetteredJob> NextPoisonAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            if ((await Poison.PeekMessageAsync(deadline.Token)).Value is { } message)
                return JobJson.DeserializeDeadLetter(Convert.FromBase64String(message.MessageText));
            await Task.Delay(200, deadline.Token);
        }
    }

    public async Task<string> ReadTextAsync(string name)
    {
        await using Stream stream = await Store.OpenReadAsync(name);
        return await new StreamReader(stream).ReadToEndAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
        Directory.Delete(_scratch, recursive: true);
    }

    private async Task UploadDatasetAsync()
    {
        string root = Path.Combine(_scratch, "source");
        SyntheticShapesDataset.Generate(new SyntheticDatasetOptions { TrainImages = 16, ValImages = 4, MinSide = 72, MaxSide = 112 },
                                        root, progress: null, CancellationToken.None);
        foreach (string file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            await using FileStream content = File.OpenRead(file);
            await Store.UploadAsync(DatasetPrefix + Path.GetRelativePath(root, file).Replace('\\', '/'), content);
        }
        Directory.Delete(root, recursive: true);
    }
}
