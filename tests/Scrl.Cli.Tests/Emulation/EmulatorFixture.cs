using Microsoft.Extensions.Logging;

namespace Scrl.Cli.Tests.Emulation;

/// <summary>An in-process <c>scrl emulate</c> host on the shared Azurite, with its own task hub and jobs queue, and an
/// HTTP client on its API. Workers are real <c>scrl worker</c> child processes.</summary>
internal sealed class EmulatorFixture : IAsyncDisposable
{
    private readonly string _data;

    private EmulatorFixture(EmulatorHost host, string data) => (Host, Http, _data) = (host, new HttpClient { BaseAddress = host.BaseAddress }, data);

    public EmulatorHost Host { get; }
    public HttpClient Http { get; }

    public static async Task<EmulatorFixture> StartAsync(AzuriteEndpoints azurite, int workers)
    {
        string id = Guid.NewGuid().ToString("N")[..10];
        string data = Directory.CreateTempSubdirectory("scrl-emulate-").FullName;
        var options = new EmulatorOptions
        {
            StorageConnectionString = azurite.ConnectionString,
            DataDirectory = data,
            Port = 0,
            Workers = workers,
            TaskHub = "e2e" + id,
            JobsQueue = "jobs-" + id,
        };
        EmulatorHost host = await EmulatorHost.StartAsync(options, logging => logging.SetMinimumLevel(LogLevel.Warning), CancellationToken.None);
        return new EmulatorFixture(host, data);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }
}
