namespace Scrl.Pipeline.Access;

/// <summary>What a data-plane call touches, as infra/ names it.</summary>
public enum DataPlaneResource
{
    /// <summary>The blob container of run artifacts (<c>artifacts</c>).</summary>
    ArtifactsContainer,

    /// <summary>The Storage queue workers report job outcomes and progress to (<c>outcomes</c>).</summary>
    OutcomesQueue,

    /// <summary>The Service Bus job queues, one per worker stage.</summary>
    JobQueues,

    /// <summary>The storage account as a whole: the Functions host's own blobs and queues, and the Durable Task hub.</summary>
    StorageAccount,

    /// <summary>The container registry the worker image is pulled from.</summary>
    Registry,

    /// <summary>The Application Insights component.</summary>
    Telemetry,
}
