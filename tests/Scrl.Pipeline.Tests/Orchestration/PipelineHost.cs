using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Scrl.Pipeline.Activities;
using Scrl.Pipeline.Artifacts;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Orchestration;

namespace Scrl.Pipeline.Tests.Orchestration;

/// <summary>
/// The pipeline's orchestrators and activities on the in-process Durable Task host (real runtime, real timers),
/// with a <see cref="FakeWorker"/> (or a given transport) as the job transport and a <see cref="LocalFolderArtifactStore"/>
/// in a temp folder.
/// </summary>
internal sealed class PipelineHost : IAsyncDisposable
{
    private readonly DurableTaskTestHost _host;
    private readonly string _root;

    private PipelineHost(DurableTaskTestHost host, FakeWorker worker, LocalFolderArtifactStore store, string root) =>
        (_host, Worker, Store, _root) = (host, worker, store, root);

    public DurableTaskClient Client => _host.Client;

    public FakeWorker Worker { get; }

    public LocalFolderArtifactStore Store { get; }

    /// <param name="transport">Where jobs go instead of the fake worker (which then runs nothing).</param>
    public static async Task<PipelineHost> StartAsync(IJobTransport? transport = null)
    {
        string root = Path.Combine(Path.GetTempPath(), "scrl-pipeline-" + Guid.NewGuid().ToString("N"));
        var store = new LocalFolderArtifactStore(root);
        var worker = new FakeWorker(store);
        DurableTaskTestHost host = await DurableTaskTestHost.StartAsync(
            tasks =>
            {
                tasks.AddOrchestrator<ScrlRunOrchestrator>();
                tasks.AddOrchestrator<ScrlSweepOrchestrator>();
                tasks.AddActivity<PostJobActivity>();
                tasks.AddActivity<ReadResultManifestActivity>();
                tasks.AddActivity<WriteCancelMarkerActivity>();
                tasks.AddActivity<WriteReportActivity>();
                tasks.AddActivity<WriteLeaderboardActivity>();
            },
            new DurableTaskTestHostOptions
            {
                ConfigureServices = services =>
                {
                    services.AddLogging();
                    services.AddSingleton<IArtifactStore>(store);
                    services.AddSingleton<IJobTransport>(transport ?? worker);
                },
            });
        worker.Client = host.Client;
        return new PipelineHost(host, worker, store, root);
    }

    /// <summary>Waits for the instance to end, failing the test after <paramref name="limit"/> (default 60 s).</summary>
    public async Task<OrchestrationMetadata> WaitAsync(string instanceId, TimeSpan? limit = null)
    {
        using var timeout = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(60));
        return await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, timeout.Token);
    }

    public async Task<string> ReadTextAsync(string name)
    {
        await using Stream stream = await Store.OpenReadAsync(name);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Worker.DisposeAsync(); // its last events go to a host that is still up
        await _host.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }
}
