namespace Scrl.Pipeline.Access;

/// <summary>
/// Every data-plane call the Functions app and the worker make in Azure, by component and resource. The infra tests
/// check each against the roles infra/app/rbac.bicep grants, and that every role granted is used by some call; the
/// Azurite and Service Bus broker tests record what each component of ours really sends and check it against
/// <see cref="ActionsOf"/>. Nothing here creates a queue or a container: infra does, and the emulator at its start-up.
/// </summary>
public static class DataPlaneCatalogue
{
    /// <summary>What each component may do; a component's recorded requests must stay within it.</summary>
    public static IReadOnlySet<DataPlaneAction> ActionsOf(DataPlaneComponent component) => component switch
    {
        DataPlaneComponent.ArtifactStore => Set(DataPlaneAction.BlobRead, DataPlaneAction.BlobWrite, DataPlaneAction.BlobDelete,
                                                DataPlaneAction.BlobList, DataPlaneAction.BlobLease),
        DataPlaneComponent.OutcomeSender => Set(DataPlaneAction.QueueSend),
        DataPlaneComponent.JobSender => Set(DataPlaneAction.ServiceBusSend),
        DataPlaneComponent.JobReceiver => Set(DataPlaneAction.ServiceBusListen),
        DataPlaneComponent.FunctionsHost => Set(DataPlaneAction.BlobRead, DataPlaneAction.BlobWrite, DataPlaneAction.BlobDelete,
                                                DataPlaneAction.BlobList, DataPlaneAction.BlobLease, DataPlaneAction.ContainerCreate,
                                                DataPlaneAction.QueueSend, DataPlaneAction.QueueProcess, DataPlaneAction.QueueCreate,
                                                DataPlaneAction.TableReadWrite),
        DataPlaneComponent.ImagePull => Set(DataPlaneAction.ImagePull),
        DataPlaneComponent.TelemetryExporter => Set(DataPlaneAction.TelemetryPublish),
        _ => throw new ArgumentOutOfRangeException(nameof(component), component, null),
    };

    /// <summary>Which component each workload runs against which resource (its composition root).</summary>
    public static IReadOnlyList<(Workload Workload, DataPlaneComponent Component, DataPlaneResource Resource)> Uses { get; } =
    [
        // Functions app (src/Scrl.Functions/Program.cs): activities read result manifests and write reports and cancel
        // markers; the orchestrations post jobs; the outcomes trigger and Durable Task run on host storage.
        (Workload.Functions, DataPlaneComponent.ArtifactStore, DataPlaneResource.ArtifactsContainer),
        (Workload.Functions, DataPlaneComponent.JobSender, DataPlaneResource.JobQueues),
        (Workload.Functions, DataPlaneComponent.FunctionsHost, DataPlaneResource.StorageAccount),
        (Workload.Functions, DataPlaneComponent.TelemetryExporter, DataPlaneResource.Telemetry),
        // Worker (`scrl worker --transport servicebus`, in the CPU and the GPU app alike): receives jobs, reads shards and writes checkpoints and results,
        // claims jobs with blob leases, reports outcomes to the outcomes queue.
        (Workload.Worker, DataPlaneComponent.JobReceiver, DataPlaneResource.JobQueues),
        (Workload.Worker, DataPlaneComponent.ArtifactStore, DataPlaneResource.ArtifactsContainer),
        (Workload.Worker, DataPlaneComponent.OutcomeSender, DataPlaneResource.OutcomesQueue),
        (Workload.Worker, DataPlaneComponent.ImagePull, DataPlaneResource.Registry),
        (Workload.Worker, DataPlaneComponent.TelemetryExporter, DataPlaneResource.Telemetry),
    ];

    /// <summary>Every call: each use expanded to its component's actions.</summary>
    public static IReadOnlyList<DataPlaneCall> Calls { get; } =
        [.. Uses.SelectMany(use => ActionsOf(use.Component).Order().Select(action => new DataPlaneCall(use.Workload, use.Component, use.Resource, action)))];

    private static HashSet<DataPlaneAction> Set(params DataPlaneAction[] actions) => [.. actions];
}
