using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using Scrl.Cli.Emulation;

namespace Scrl.Pipeline.Tests.Azurite;

/// <summary>Azurite in a throwaway Docker container, used when a Docker engine is reachable.</summary>
internal sealed class AzuriteContainer : IAsyncDisposable
{
    // Same Azurite release as package-lock.json pins for the npm fallback.
    private const string Image = "mcr.microsoft.com/azure-storage/azurite:3.35.0";
    private const int BlobPort = 10000, QueuePort = 10001, TablePort = 10002;
    private readonly IContainer _container;

    private AzuriteContainer(IContainer container)
    {
        _container = container;
        Endpoints = new AzuriteEndpoints(container.Hostname,
            container.GetMappedPublicPort(BlobPort), container.GetMappedPublicPort(QueuePort), container.GetMappedPublicPort(TablePort));
    }

    public AzuriteEndpoints Endpoints { get; }

    /// <summary>Starts the container, or returns null when no Docker engine is available.</summary>
    public static async Task<AzuriteContainer?> TryStartAsync(CancellationToken cancellationToken)
    {
        IContainer container;
        try
        {
            container = new ContainerBuilder(Image)
                .WithCommand("azurite", "--blobHost", "0.0.0.0", "--queueHost", "0.0.0.0", "--tableHost", "0.0.0.0",
                    "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--disableTelemetry")
                .WithPortBinding(BlobPort, assignRandomHostPort: true)
                .WithPortBinding(QueuePort, assignRandomHostPort: true)
                .WithPortBinding(TablePort, assignRandomHostPort: true)
                .WithWaitStrategy(Wait.ForUnixContainer()
                    .UntilInternalTcpPortIsAvailable(BlobPort)
                    .UntilInternalTcpPortIsAvailable(QueuePort)
                    .UntilInternalTcpPortIsAvailable(TablePort))
                .Build();
        }
        catch (DockerUnavailableException)
        {
            return null;
        }
        await container.StartAsync(cancellationToken);
        return new AzuriteContainer(container);
    }

    public ValueTask DisposeAsync() => _container.DisposeAsync();
}
