using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Scrl.Cli.Supervision;

namespace Scrl.Cli.Emulation;

/// <summary>
/// One <c>scrl worker</c> child process: a real separate process, so it can die (or be killed) without taking the
/// orchestration host with it. Its output goes to the host's log and is kept for inspection.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private WorkerProcess(string name, Process process) => (Name, _process) = (name, process);

    public string Name { get; }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>What the worker printed so far (capped at 1 MiB).</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static WorkerProcess Start(string name, IReadOnlyList<string> workerArgs, ILogger log)
    {
        ProcessStartInfo start = ScrlProcess.StartInfo(workerArgs);   // this very CLI, as `scrl worker ...`
        (start.RedirectStandardOutput, start.RedirectStandardError) = (true, true);
        start.Environment[ParentWatch.Variable] = "1";   // a killed emulator or test host takes its workers with it
        Process process = Process.Start(start) ?? throw new InvalidOperationException("Could not start a worker process.");
        var worker = new WorkerProcess(name, process);
        process.OutputDataReceived += (_, e) => worker.Append(e.Data, log);
        process.ErrorDataReceived += (_, e) => worker.Append(e.Data, log);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        log.LogInformation("Started {Worker} (pid {Pid})", name, process.Id);
        return worker;
    }

    /// <summary>SIGKILL, no chance to checkpoint or settle: what a crashed or evicted machine looks like.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>SIGTERM (the worker checkpoints and abandons its job), then SIGKILL after a grace period.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_process.HasExited) { _process.Dispose(); return; }
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) await KillAsync().ConfigureAwait(false);   // no SIGTERM to send
        else PosixProcess.Terminate(_process.Id);
        using var grace = new CancellationTokenSource(StopGrace);
        try
        {
            await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await KillAsync().ConfigureAwait(false);
        }
        _process.Dispose();
    }

    private void Append(string? line, ILogger log)
    {
        if (line is null) return;
        lock (_output)
        {
            if (_output.Length < 1 << 20) _output.AppendLine(line);
        }
        log.LogInformation("[{Worker}] {Line}", Name, line);
    }
}
