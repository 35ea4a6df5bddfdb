using Scrl.Pipeline.Jobs;

namespace Scrl.Functions.Configuration;

/// <summary>
/// The app's settings, bound from the <c>Scrl</c> section (app settings <c>Scrl__Storage__ServiceUri</c>, ...,
/// written by infra/app/functions.bicep). Every client authenticates with DefaultAzureCredential.
/// </summary>
public sealed record ScrlFunctionsOptions
{
    public const string SectionName = "Scrl";

    public StorageSettings Storage { get; init; } = new();

    public ServiceBusSettings ServiceBus { get; init; } = new();

    /// <summary>The artifact store: a Blob account endpoint and container.</summary>
    public sealed record StorageSettings
    {
        /// <summary>Blob endpoint, e.g. <c>https://stabc.blob.core.windows.net/</c>.</summary>
        public Uri? ServiceUri { get; init; }

        public string Container { get; init; } = "artifacts";
    }

    /// <summary>Where jobs are posted: one Service Bus queue per worker stage.</summary>
    public sealed record ServiceBusSettings
    {
        /// <summary>Host name of the namespace, e.g. <c>sb-abc.servicebus.windows.net</c>.</summary>
        public string? FullyQualifiedNamespace { get; init; }

        /// <summary>Queue of each stage that workers run (all but <see cref="StageKind.Report"/>).</summary>
        public Dictionary<StageKind, string> Queues { get; init; } = [];
    }
}
