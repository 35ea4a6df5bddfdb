using Scrl.Cli.Emulation;

namespace Scrl.Pipeline.Tests.Azurite;

/// <summary>
/// One Azurite per test run for every class in <see cref="AzuriteCollection"/>: a Testcontainers
/// container when Docker is available, otherwise the pinned npm package (installed with <c>npm ci</c>
/// if needed). Fails, never skips, when neither Docker nor Node is there.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private IAsyncDisposable? _azurite;

    /// <summary>Endpoints and connection string of the running emulator.</summary>
    public AzuriteEndpoints Endpoints { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var startup = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        if (await AzuriteContainer.TryStartAsync(startup.Token) is { } container)
        {
            (_azurite, Endpoints) = (container, container.Endpoints);
            return;
        }
        AzuriteProcess process = await AzuriteProcess.StartAsync(dataDirectory: null, startup.Token);
        (_azurite, Endpoints) = (process, process.Endpoints);
    }

    public async Task DisposeAsync()
    {
        if (_azurite is not null) await _azurite.DisposeAsync();
    }
}

/// <summary>Test classes in this collection share one <see cref="AzuriteFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
