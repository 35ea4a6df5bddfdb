using Scrl.Pipeline.Access;

namespace Scrl.Infra.Tests;

/// <summary>What each built-in role that rbac.bicep may assign lets its holder do, in the catalogue's terms
/// (from the roles' data actions in Azure's built-in role reference).</summary>
internal static class BuiltInRoles
{
    private static readonly DataPlaneAction[] BlobData =
        [DataPlaneAction.BlobRead, DataPlaneAction.BlobWrite, DataPlaneAction.BlobDelete, DataPlaneAction.BlobList,
         DataPlaneAction.BlobLease, DataPlaneAction.ContainerCreate];

    public static IReadOnlySet<DataPlaneAction> ActionsOf(string roleKey) => roleKey switch
    {
        // Owner adds POSIX ownership and ACLs (Data Lake), which the Functions host's docs require of its storage.
        "storageBlobDataOwner" or "storageBlobDataContributor" => BlobData.ToHashSet(),
        "storageQueueDataContributor" => [DataPlaneAction.QueueSend, DataPlaneAction.QueueProcess, DataPlaneAction.QueueCreate],
        "storageQueueDataMessageSender" => [DataPlaneAction.QueueSend],
        "storageQueueDataMessageProcessor" => [DataPlaneAction.QueueProcess],
        "storageTableDataContributor" => [DataPlaneAction.TableReadWrite],
        "serviceBusDataOwner" => [DataPlaneAction.ServiceBusSend, DataPlaneAction.ServiceBusListen],
        "serviceBusDataSender" => [DataPlaneAction.ServiceBusSend],
        "serviceBusDataReceiver" => [DataPlaneAction.ServiceBusListen],
        "acrPull" => [DataPlaneAction.ImagePull],
        "monitoringMetricsPublisher" => [DataPlaneAction.TelemetryPublish],
        _ => throw new ArgumentException($"Unknown role key {roleKey}: add what it grants here.", nameof(roleKey)),
    };
}
