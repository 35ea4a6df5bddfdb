using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Azure.Storage;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using Scrl.Pipeline.Artifacts;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Outcomes;
using Scrl.Pipeline.Transports;

namespace Scrl.Cli.Commands;

/// <summary>
/// The worker's clients, built once per process from the command line (the CLI's composition root):
/// artifact store, job transport and outcome sink. URIs authenticate with DefaultAzureCredential. It creates no queue
/// or container: in Azure its identity may not (see Scrl.Pipeline.Access.DataPlaneCatalogue), and the emulator
/// creates them at its start-up.
/// </summary>
internal sealed class WorkerServices : IAsyncDisposable
{
    private readonly HttpClient _http = new();   // one for the process: callbacks reuse its connections
    private readonly List<IAsyncDisposable> _owned = [];

    private WorkerServices() { }

    public IArtifactStore Store { get; private set; } = null!;
    public string StoreDescription { get; private set; } = "";
    /// <summary>What the worker receives from: the one queue, or a fan-in over several.</summary>
    public IJobTransport Transport { get; private set; } = null!;

    /// <summary>Each queue on its own, in the order given; <c>--enqueue</c> posts to the first.</summary>
    public IReadOnlyList<IJobTransport> Queues { get; private set; } = [];

    public IJobOutcomeSink Outcomes { get; private set; } = null!;

    /// <summary>The queues whose broker dead-letters jobs on its own (Service Bus); empty for the others.</summary>
    public IReadOnlyList<IDeadLetterSource> DeadLetterSources => [.. Queues.OfType<IDeadLetterSource>()];

    public static WorkerServices Create(WorkerCommand.Settings settings, ILoggerFactory loggers)
    {
        var services = new WorkerServices();
        (services.Store, services.StoreDescription, string? blobConnection) = OpenStore(settings.Store, settings.BlobChecksum);
        string? queueAccount = settings.QueueAccount ?? blobConnection;
        QueueServiceClient? storageQueues = queueAccount is null ? null : QueueService(queueAccount);
        services.Queues = settings.Transport switch
        {
            "memory" => [new InMemoryJobTransport(TimeSpan.FromMinutes(5))],
            "queue" => StorageQueues(storageQueues ?? throw new ArgumentException(
                           "--transport queue needs --queue-account (or a blob: store with a connection string)."), settings, loggers),
            "servicebus" => services.ServiceBusQueues(settings, loggers),
            _ => throw new ArgumentException($"--transport must be memory, queue or servicebus, was '{settings.Transport}'."),
        };
        services.Transport = services.Queues.Count == 1 ? services.Queues[0] : new FanInJobTransport(services.Queues);

        // Jobs posted by an orchestration without a callback URI report through the outcomes queue, whatever carried them.
        IJobOutcomeSink? queueOutcomes = null;
        if (storageQueues is not null && settings.Transport != "memory")
        {
            queueOutcomes = new StorageQueueOutcomeSink(storageQueues.GetQueueClient(settings.OutcomesQueue));
        }
        else if (settings.Transport == "servicebus")
        {
            loggers.CreateLogger<WorkerServices>().LogWarning(
                "No --queue-account: outcomes of jobs without a callback URI reach their orchestration only at the stage deadline, from result.json");
        }
        services.Outcomes = new RoutingOutcomeSink(new HttpCallbackOutcomeSink(services._http), queueOutcomes);
        return services;
    }

    private static IReadOnlyList<IJobTransport> StorageQueues(QueueServiceClient queues, WorkerCommand.Settings settings, ILoggerFactory loggers)
    {
        var options = new StorageQueueJobTransportOptions { LockDuration = TimeSpan.FromSeconds(settings.LockDurationSeconds) };
        return [.. settings.QueueNames.Select(name => StorageQueueJobTransport.Create(queues, name, options, loggers.CreateLogger<StorageQueueJobTransport>()))];
    }

    private IReadOnlyList<IJobTransport> ServiceBusQueues(WorkerCommand.Settings settings, ILoggerFactory loggers)
    {
        string ns = settings.ServiceBus ?? throw new ArgumentException("--transport servicebus needs --servicebus.");
        var client = ns.Contains("Endpoint=", StringComparison.OrdinalIgnoreCase)
            ? new ServiceBusClient(ns)
            : new ServiceBusClient(ns, new DefaultAzureCredential());
        var transports = settings.QueueNames
            .Select(name => new ServiceBusJobTransport(client, name, loggers.CreateLogger<ServiceBusJobTransport>()))
            .ToList();
        _owned.AddRange(transports);
        _owned.Add(client);   // disposed after the transports' senders and receivers
        return transports;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (IAsyncDisposable owned in _owned) await owned.DisposeAsync();
        _http.Dispose();
    }

    private static (IArtifactStore Store, string Description, string? ConnectionString) OpenStore(string store, string checksum)
    {
        if (store.StartsWith("local:", StringComparison.Ordinal))
        {
            string root = Path.GetFullPath(store["local:".Length..]);
            return (new LocalFolderArtifactStore(root), root, null);
        }
        if (store.StartsWith("blob:", StringComparison.Ordinal))
        {
            string target = store["blob:".Length..];
            bool isUri = Uri.TryCreate(target, UriKind.Absolute, out Uri? uri) && uri.Scheme is "https" or "http";
            var options = new BlobArtifactStoreOptions
            {
                ServiceUri = isUri ? uri : null,
                ConnectionString = isUri ? null : target,
                TransferChecksum = checksum switch
                {
                    "auto" => StorageChecksumAlgorithm.Auto,
                    "md5" => StorageChecksumAlgorithm.MD5,
                    _ => throw new ArgumentException($"--blob-checksum must be auto or md5, was '{checksum}'."),
                },
            };
            return (BlobArtifactStore.Open(options), isUri ? target : "blob (connection string)", isUri ? null : target);
        }
        throw new ArgumentException($"--store must be local:<dir> or blob:<connection string or URI>, was '{store}'.");
    }

    private static QueueServiceClient QueueService(string account) =>
        Uri.TryCreate(account, UriKind.Absolute, out Uri? uri) && uri.Scheme is "https" or "http"
            ? new QueueServiceClient(uri, new DefaultAzureCredential())
            : new QueueServiceClient(account);
}
