namespace Scrl.Pipeline.Access;

/// <summary>A piece of code (ours or the platform's) that makes data-plane calls on a workload's identity.</summary>
public enum DataPlaneComponent
{
    /// <summary><see cref="Artifacts.BlobArtifactStore"/>: artifacts, and the blob leases that claim jobs.</summary>
    ArtifactStore,

    /// <summary><see cref="Outcomes.StorageQueueOutcomeSink"/>: job reports onto the outcomes queue.</summary>
    OutcomeSender,

    /// <summary><see cref="Transports.ServiceBusJobTransport.SendAsync"/>: posting jobs.</summary>
    JobSender,

    /// <summary><see cref="Transports.ServiceBusJobTransport.ReceiveAsync"/> and the received job's settlement.</summary>
    JobReceiver,

    /// <summary>The Functions host: its lease and secret blobs, the deployment package, queue-trigger polling and
    /// its poison queues, and the Durable Task hub (Azure Storage provider: control and work-item queues, history and
    /// instance tables, lease blobs), all created on demand.</summary>
    FunctionsHost,

    /// <summary>The Container Apps platform pulling the worker image with the worker's identity.</summary>
    ImagePull,

    /// <summary>The Application Insights exporter.</summary>
    TelemetryExporter,
}
