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
/// artifact store, job transport and outcome sink. URIs authenticate with DefaultAzureCredential.
/// </summary>
internal sealed class WorkerServices : IAsyncDisposable
{
    private readonly HttpClient _http = new();   // one for the process: callbacks reuse its connections
    private readonly List<IAsyncDisposable> _owned = [];

    private WorkerServices() { }

    public IArtifactStore Store { get; private set; } = null!;
    public string StoreDescription { get; private set; } = "";
    public IJobTransport Transport { get; private set; } = null!;
    public IJobOutcomeSink Outcomes { get; private set; } = null!;

    public static async Task<WorkerServices> CreateAsync(WorkerCommand.Settings settings, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var services = new WorkerServices();
        (services.Store, services.StoreDescription, string? blobConnection) = await OpenStoreAsync(settings.Store, settings.BlobChecksum, cancellationToken);
        IJobOutcomeSink? queueOutcomes = null;
        switch (settings.Transport)
        {
            case "memory":
                services.Transport = new InMemoryJobTransport(TimeSpan.FromMinutes(5));
                break;
            case "queue":
                QueueServiceClient queues = QueueService(settings.QueueAccount ?? blobConnection
                    ?? throw new ArgumentException("--transport queue needs --queue-account (or a blob: store with a connection string)."));
                var transport = StorageQueueJobTransport.Create(queues, settings.Queue, new StorageQueueJobTransportOptions { LockDuration = TimeSpan.FromSeconds(settings.LockDurationSeconds) },
                                                                loggers.CreateLogger<StorageQueueJobTransport>());
                await transport.CreateIfNotExistsAsync(cancellationToken);
                QueueClient outcomes = queues.GetQueueClient(settings.OutcomesQueue);
                await outcomes.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                (services.Transport, queueOutcomes) = (transport, new StorageQueueOutcomeSink(outcomes));
                break;
            case "servicebus":
                string ns = settings.ServiceBus ?? throw new ArgumentException("--transport servicebus needs --servicebus.");
                var client = ns.Contains("Endpoint=", StringComparison.OrdinalIgnoreCase)
                    ? new ServiceBusClient(ns)
                    : new ServiceBusClient(ns, new DefaultAzureCredential());
                var bus = new ServiceBusJobTransport(client, settings.Queue, loggers.CreateLogger<ServiceBusJobTransport>());
                services._owned.Add(bus);
                services._owned.Add(client);   // disposed after the transport's sender and receiver
                services.Transport = bus;
                break;
            default:
                throw new ArgumentException($"--transport must be memory, queue or servicebus, was '{settings.Transport}'.");
        }
        services.Outcomes = new RoutingOutcomeSink(new HttpCallbackOutcomeSink(services._http), queueOutcomes);
        return services;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (IAsyncDisposable owned in _owned) await owned.DisposeAsync();
        _http.Dispose();
    }

    private static async Task<(IArtifactStore Store, string Description, string? ConnectionString)> OpenStoreAsync(string store, string checksum, CancellationToken cancellationToken)
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
            return (await BlobArtifactStore.CreateAsync(options, cancellationToken), isUri ? target : "blob (connection string)", isUri ? null : target);
        }
        throw new ArgumentException($"--store must be local:<dir> or blob:<connection string or URI>, was '{store}'.");
    }

    private static QueueServiceClient QueueService(string account) =>
        Uri.TryCreate(account, UriKind.Absolute, out Uri? uri) && uri.Scheme is "https" or "http"
            ? new QueueServiceClient(uri, new DefaultAzureCredential())
            : new QueueServiceClient(account);
}
