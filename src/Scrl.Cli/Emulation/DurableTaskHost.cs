using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Scrl.Pipeline.Activities;
using Scrl.Pipeline.Orchestration;

namespace Scrl.Cli.Emulation;

/// <summary>
/// Scrl.Pipeline's orchestrators and activities, hosted durably on DurableTask.Core with the Azure Storage backend:
/// history in tables, work in queues, so a host that dies mid-run is replaced by the next one on the same task hub.
/// The DurableTask SDK's shim factory adapts the SDK classes (the ones Durable Functions runs) to DurableTask.Core.
/// </summary>
public sealed class DurableTaskHost : IAsyncDisposable
{
    private readonly AzureStorageOrchestrationService _service;
    private readonly TaskHubWorker _worker;

    private DurableTaskHost(AzureStorageOrchestrationService service, TaskHubWorker worker, TaskHubClient client)
        => (_service, _worker, Client) = (service, worker, client);

    /// <summary>Client that serializes like the SDK (System.Text.Json), so inputs, events and outputs match the shims.</summary>
    public TaskHubClient Client { get; }

    /// <summary>The SDK's converter: how to read an instance's serialized input, custom status and output.</summary>
    public static DataConverter Converter => JsonDataConverter.Default;

    /// <param name="services">Builds each activity's dependencies (transport, store, loggers).</param>
    public static async Task<DurableTaskHost> StartAsync(EmulatorOptions options, IServiceProvider services, ILoggerFactory loggers,
                                                         CancellationToken cancellationToken)
    {
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = options.TaskHub,
            StorageAccountClientProvider = new StorageAccountClientProvider(options.StorageConnectionString),
            WorkItemQueueVisibilityTimeout = options.DurableVisibilityTimeout,
            ControlQueueVisibilityTimeout = options.DurableVisibilityTimeout,
            MaxQueuePollingInterval = TimeSpan.FromSeconds(1),   // local: react to events in about a second
            PartitionCount = 1,
            LoggerFactory = loggers,
        });
        await service.CreateIfNotExistsAsync().WaitAsync(cancellationToken).ConfigureAwait(false);

        var shims = new DurableTaskShimFactory(loggerFactory: loggers);
        var worker = new TaskHubWorker(service, loggers);
        worker.AddTaskOrchestrations(
            Orchestration<ScrlRunOrchestrator>(shims),
            Orchestration<ScrlSweepOrchestrator>(shims));
        worker.AddTaskActivities(
            Activity<PostJobActivity>(shims, services),
            Activity<ReadResultManifestActivity>(shims, services),
            Activity<WriteCancelMarkerActivity>(shims, services),
            Activity<WriteReportActivity>(shims, services),
            Activity<WriteLeaderboardActivity>(shims, services));
        await worker.StartAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        var client = new TaskHubClient(service, new SdkDataConverter(Converter), loggers);
        return new DurableTaskHost(service, worker, client);
    }

    public async ValueTask DisposeAsync()
    {
        // Not graceful: in-flight work items are left to their visibility timeout, as after a crash.
        await _worker.StopAsync(isForced: true).ConfigureAwait(false);
        _worker.Dispose();
        _service.Dispose();
    }

    private static ShimCreator<TaskOrchestration> Orchestration<T>(DurableTaskShimFactory shims) where T : ITaskOrchestrator, new() =>
        new(typeof(T).Name, () => shims.CreateOrchestration(new TaskName(typeof(T).Name), new T()));

    private static ShimCreator<DurableTask.Core.TaskActivity> Activity<T>(DurableTaskShimFactory shims, IServiceProvider services)
        where T : ITaskActivity =>
        new(typeof(T).Name, () => shims.CreateActivity(new TaskName(typeof(T).Name), ActivatorUtilities.CreateInstance<T>(services)));
}
