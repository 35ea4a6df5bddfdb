using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Scrl.Cli.Emulation;

/// <summary>
/// Azurite (blob, queue, table) from the repo's pinned npm package, on free loopback ports. Stores into
/// <c>--data</c> when given (kept), else a temp folder deleted on dispose. Runs <c>npm ci</c> first on a fresh clone.
/// Used by <c>scrl emulate</c> and, linked as source, by the Azurite test fixture: one way to start it.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan NpmCiTimeout = TimeSpan.FromMinutes(5);
    private readonly Process _process;
    private readonly string _workspace;
    private readonly bool _ownsWorkspace;
    private readonly StringBuilder _output;

    private AzuriteProcess(Process process, string workspace, bool ownsWorkspace, StringBuilder output, AzuriteEndpoints endpoints)
    {
        _process = process;
        _workspace = workspace;
        _ownsWorkspace = ownsWorkspace;
        _output = output;
        Endpoints = endpoints;
    }

    public AzuriteEndpoints Endpoints { get; }

    /// <param name="dataDirectory">Where Azurite keeps its data across restarts; null for a throwaway temp folder.</param>
    public static async Task<AzuriteProcess> StartAsync(string? dataDirectory, CancellationToken cancellationToken)
    {
        string repoRoot = FindRepoRoot();
        string azurite = Path.Combine(repoRoot, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite)) await RunNpmCiAsync(repoRoot, cancellationToken);

        var endpoints = new AzuriteEndpoints("127.0.0.1", FreeLoopbackPort(), FreeLoopbackPort(), FreeLoopbackPort());
        string workspace = dataDirectory is null ? Directory.CreateTempSubdirectory("azurite-").FullName
                                                 : Directory.CreateDirectory(dataDirectory).FullName;
        var start = new ProcessStartInfo(azurite)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workspace,
        };
        // Azurite outlives a parent killed outright (a test host that crashed, an emulator sent SIGKILL) unless it
        // watches for it: Node loads this script before Azurite and exits once it has been re-parented.
        start.Environment["NODE_OPTIONS"] = $"--require \"{WriteExitWithParentScript()}\"";
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

        var azuriteProcess = new AzuriteProcess(process, workspace, dataDirectory is null, output, endpoints);
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
        if (_ownsWorkspace) Directory.Delete(_workspace, recursive: true);
    }

    private const string ExitWithParentScript = """
        // Ends this Node process once the process that started it has exited (it was re-parented).
        const parent = process.ppid;
        setInterval(() => { if (process.ppid !== parent) process.exit(0); }, 1000).unref();
        """;

    private static string WriteExitWithParentScript()
    {
        // Linked into the Azurite test fixture, which has no Scrl.Core: a per-process temporary file and a rename.
        string path = Path.Combine(Path.GetTempPath(), "scrl-exit-with-parent.cjs");
        string temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, ExitWithParentScript);
        File.Move(temporary, path, overwrite: true);
        return path;
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
        // The build output sits inside the clone; the working directory covers a published scrl run from the repo.
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "package-lock.json"))) return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No package-lock.json (which pins Azurite) above {AppContext.BaseDirectory} or the working directory.");
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
