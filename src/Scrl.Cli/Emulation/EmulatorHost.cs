using System.Globalization;
using Azure.Storage;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Scrl.Pipeline.Artifacts;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Outcomes;
using Scrl.Pipeline.Transports;

namespace Scrl.Cli.Emulation;

/// <summary>
/// The cloud pipeline on one machine: the HTTP API on loopback, the orchestrators durable on storage
/// (<see cref="DurableTaskHost"/>), the outcomes pump, and <c>scrl worker</c> child processes on the jobs queue.
/// Everything goes through the storage account, as in Azure: Blob for artifacts, queues for jobs and outcomes.
/// </summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    private readonly EmulatorOptions _options;
    private readonly WebApplication _web;
    private readonly DurableTaskHost _durable;
    private readonly CancellationTokenSource _stop;
    private readonly Task _pump;
    private readonly List<WorkerProcess> _workers = [];
    private readonly ILogger _log;

    private EmulatorHost(EmulatorOptions options, WebApplication web, DurableTaskHost durable, CancellationTokenSource stop, Task pump,
                         IArtifactStore store)
    {
        (_options, _web, _durable, _stop, _pump, Store) = (options, web, durable, stop, pump, store);
        _log = web.Services.GetRequiredService<ILoggerFactory>().CreateLogger<EmulatorHost>();
        BaseAddress = new Uri(web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    /// <summary>Where the API answers, e.g. <c>http://127.0.0.1:7071/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The artifact store runs write to (Blob on the emulator's account).</summary>
    public IArtifactStore Store { get; }

    public IReadOnlyList<WorkerProcess> Workers => _workers;

    public static async Task<EmulatorHost> StartAsync(EmulatorOptions options, Action<ILoggingBuilder> logging, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        // The emulator stands in for infra: it creates the container and queues its workers only use.
        IArtifactStore store = await BlobArtifactStore.CreateContainerIfNotExistsAsync(new BlobArtifactStoreOptions
        {
            ConnectionString = options.StorageConnectionString,
            TransferChecksum = StorageChecksumAlgorithm.MD5,   // Azurite 3.35 does not acknowledge CRC64 structured bodies
        }, cancellationToken);
        var queues = new QueueServiceClient(options.StorageConnectionString);
        var jobs = StorageQueueJobTransport.Create(queues, options.JobsQueue, new StorageQueueJobTransportOptions());
        await jobs.CreateIfNotExistsAsync(cancellationToken);

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        logging(builder.Logging);
        builder.WebHost.UseUrls($"http://127.0.0.1:{options.Port.ToString(CultureInfo.InvariantCulture)}");
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton<IJobTransport>(jobs);
        builder.Services.AddSingleton(TimeProvider.System);
        WebApplication web = builder.Build();

        ILoggerFactory loggers = web.Services.GetRequiredService<ILoggerFactory>();
        DurableTaskHost durable = await DurableTaskHost.StartAsync(options, web.Services, loggers, cancellationToken);
        EmulatorApi.Map(web, durable.Client, store, TimeProvider.System);
        await web.StartAsync(cancellationToken);

        QueueClient outcomes = queues.GetQueueClient(StorageQueueOutcomeSink.DefaultQueueName);
        QueueClient poison = queues.GetQueueClient(StorageQueueOutcomeSink.DefaultQueueName + "-poison");
        await outcomes.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var pump = new OutcomesPump(outcomes, poison, durable.Client, loggers.CreateLogger<OutcomesPump>());
        var stop = new CancellationTokenSource();
        var host = new EmulatorHost(options, web, durable, stop, Task.Run(() => pump.RunAsync(stop.Token), CancellationToken.None), store);
        for (int i = 0; i < options.Workers; i++) host.StartWorker();
        return host;
    }

    /// <summary>Starts one more <c>scrl worker</c> process on the jobs queue.</summary>
    public WorkerProcess StartWorker()
    {
        string name = $"worker-{_workers.Count + 1}";
        string conn = _options.StorageConnectionString;
        string[] args =
        [
            "worker", "--transport", "queue", "--store", "blob:" + conn, "--blob-checksum", "md5",
            "--queue", _options.JobsQueue, "--queue-account", conn, "--outcomes-queue", StorageQueueOutcomeSink.DefaultQueueName,
            "--work-dir", Path.Combine(_options.DataDirectory, "workers", name),
            "--lock-duration", Seconds(_options.WorkerLock), "--claim-lease", Seconds(_options.WorkerClaimLease),
            "--heartbeat", Seconds(_options.WorkerHeartbeat),
        ];
        WorkerProcess worker = WorkerProcess.Start(name, args, _log);
        _workers.Add(worker);
        return worker;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (WorkerProcess worker in _workers) await worker.DisposeAsync();
        await _stop.CancelAsync();
        await _pump;
        await _web.StopAsync();
        await _durable.DisposeAsync();
        await _web.DisposeAsync();
        _stop.Dispose();
    }

    private static string Seconds(TimeSpan t) => ((int)t.TotalSeconds).ToString(CultureInfo.InvariantCulture);
}
