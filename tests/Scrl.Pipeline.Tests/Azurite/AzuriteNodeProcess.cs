using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Scrl.Pipeline.Tests.Azurite;

/// <summary>
/// Azurite (blob, queue, table) from the repo's pinned npm package, on free loopback ports, storing into
/// a temp folder that is deleted on dispose. Runs <c>npm ci</c> first on a fresh clone.
/// </summary>
internal sealed class AzuriteNodeProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan NpmCiTimeout = TimeSpan.FromMinutes(5);
    private readonly Process _process;
    private readonly string _workspace;
    private readonly StringBuilder _output;

    private AzuriteNodeProcess(Process process, string workspace, StringBuilder output, AzuriteEndpoints endpoints)
    {
        _process = process;
        _workspace = workspace;
        _output = output;
        Endpoints = endpoints;
    }

    public AzuriteEndpoints Endpoints { get; }

    public static async Task<AzuriteNodeProcess> StartAsync(CancellationToken cancellationToken)
    {
        string repoRoot = FindRepoRoot();
        string azurite = Path.Combine(repoRoot, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite)) await RunNpmCiAsync(repoRoot, cancellationToken);

        var endpoints = new AzuriteEndpoints("127.0.0.1", FreeLoopbackPort(), FreeLoopbackPort(), FreeLoopbackPort());
        string workspace = Directory.CreateTempSubdirectory("azurite-").FullName;
        var start = new ProcessStartInfo(azurite)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workspace,
        };
        foreach (string arg in new[]
        {
            "--blobHost", endpoints.Host, "--blobPort", $"{endpoints.BlobPort}",
            "--queueHost", endpoints.Host, "--queuePort", $"{endpoints.QueuePort}",
            "--tableHost", endpoints.Host, "--tablePort", $"{endpoints.TablePort}",
            "--location", workspace, "--skipApiVersionCheck", "--loose", "--disableTelemetry",
        })
            start.ArgumentList.Add(arg);

        var output = new StringBuilder();
        Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {azurite}.");
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var azuriteProcess = new AzuriteNodeProcess(process, workspace, output, endpoints);
        try
        {
            await azuriteProcess.WaitUntilListeningAsync(cancellationToken);
            return azuriteProcess;
        }
        catch
        {
            await azuriteProcess.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_workspace, recursive: true);
    }

    private async Task WaitUntilListeningAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        int[] ports = [Endpoints.BlobPort, Endpoints.QueuePort, Endpoints.TablePort];
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode} while starting:\n{Output()}");
            if (await AllAcceptAsync(ports, cancellationToken)) return;
            if (deadline.Elapsed > StartTimeout)
                throw new TimeoutException($"Azurite did not listen on {string.Join(", ", ports)} within {StartTimeout}:\n{Output()}");
            await Task.Delay(100, cancellationToken);
        }
    }

    private async Task<bool> AllAcceptAsync(int[] ports, CancellationToken cancellationToken)
    {
        foreach (int port in ports)
        {
            using var client = new TcpClient();
            try { await client.ConnectAsync(Endpoints.Host, port, cancellationToken); }
            catch (SocketException) { return false; }
        }
        return true;
    }

    private static async Task RunNpmCiAsync(string repoRoot, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("npm", "ci --no-audit --no-fund")
        {
            WorkingDirectory = repoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process npm;
        try
        {
            npm = Process.Start(start) ?? throw new InvalidOperationException("Could not start npm.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException(
                "The Azurite tests need Node.js 20+ and npm on PATH to install the pinned Azurite " +
                $"(package-lock.json in {repoRoot}); npm could not be started: {ex.Message}", ex);
        }
        using (npm)
        {
            Task<string> stdout = npm.StandardOutput.ReadToEndAsync(cancellationToken);
            Task<string> stderr = npm.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(NpmCiTimeout);
            await npm.WaitForExitAsync(timeout.Token);
            if (npm.ExitCode != 0)
                throw new InvalidOperationException($"'npm ci' in {repoRoot} failed with exit code {npm.ExitCode}:\n{await stdout}\n{await stderr}");
        }
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "package-lock.json"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No package-lock.json (which pins Azurite) above {AppContext.BaseDirectory}.");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private string Output()
    {
        lock (_output) return _output.ToString();
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null) return;
        lock (output)
        {
            if (output.Length < 64 * 1024) output.AppendLine(line);
        }
    }
}
