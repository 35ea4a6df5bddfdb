namespace Scrl.Pipeline.Access;

/// <summary>
/// The data-plane permissions our processes need, at the grain Azure's built-in roles grant them
/// (a role is checked against these in the infra tests).
/// </summary>
public enum DataPlaneAction
{
    /// <summary>Download a blob or read its properties.</summary>
    BlobRead,

    /// <summary>Upload a blob (put blob, put block, put block list) or set its properties.</summary>
    BlobWrite,

    BlobDelete,

    /// <summary>List the blobs of a container.</summary>
    BlobList,

    /// <summary>Acquire, renew or release a blob lease.</summary>
    BlobLease,

    /// <summary>Create a blob container.</summary>
    ContainerCreate,

    /// <summary>Put a message on a Storage queue.</summary>
    QueueSend,

    /// <summary>Get, peek, update or delete messages of a Storage queue.</summary>
    QueueProcess,

    /// <summary>Create a Storage queue.</summary>
    QueueCreate,

    /// <summary>Read and write table entities, and create tables.</summary>
    TableReadWrite,

    /// <summary>Send to a Service Bus entity (the Send claim).</summary>
    ServiceBusSend,

    /// <summary>Receive, renew locks, settle and dead-letter on a Service Bus entity (the Listen claim).</summary>
    ServiceBusListen,

    /// <summary>Pull an image from the container registry.</summary>
    ImagePull,

    /// <summary>Publish telemetry to Application Insights with Entra ID.</summary>
    TelemetryPublish,
}
