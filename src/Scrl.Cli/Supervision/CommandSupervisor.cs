using System.Diagnostics;
using System.Runtime.InteropServices;
using Scrl.Core.Runtime;
using Spectre.Console;

namespace Scrl.Cli.Supervision;

/// <summary>
/// Runs a long command (training, evaluation, benchmarks, the worker) in a child process of this same CLI and waits
/// for it. A native crash (a SIGFPE inside a oneDNN kernel, a SIGSEGV, the kernel's OOM killer) ends a process
/// without running any of its code; here the parent survives it and says what was running, from the child's
/// <see cref="Breadcrumb"/>, instead of the shell's bare "Floating point exception".
/// </summary>
/// <remarks>
/// The child inherits the terminal, so progress bars and colours are unchanged. Ctrl+C reaches both processes: the
/// child stops at its next step boundary, and this one waits for it. SIGTERM (a container stop) is passed on.
/// <c>SCRL_SUPERVISE=0</c> runs commands in a single process.
/// </remarks>
public static class CommandSupervisor
{
    /// <summary>Set in the child: it runs the command itself.</summary>
    public const string ChildVariable = "SCRL_SUPERVISED";

    /// <summary>Set to 0 by a user who wants every command in a single process.</summary>
    public const string OptOutVariable = "SCRL_SUPERVISE";

    private static readonly HashSet<string> LongCommands = ["pretrain", "finetune", "roi-eval", "evaluate", "bench", "worker"];

    /// <summary>Whether this process is the supervised child of another scrl.</summary>
    public static bool IsChild => Environment.GetEnvironmentVariable(ChildVariable) == "1";

    /// <summary>Whether <paramref name="args"/> should run under a supervising parent: a long command, on Linux or
    /// macOS, not already supervised, not asking for help.</summary>
    public static bool ShouldSupervise(IReadOnlyList<string> args) =>
        (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        && !IsChild
        && Environment.GetEnvironmentVariable(OptOutVariable) != "0"
        && args.Count > 0 && LongCommands.Contains(args[0])
        && !args.Any(a => a is "-h" or "--help" or "-?");

    /// <summary>Runs <paramref name="args"/> in a child until it exits, or until <paramref name="onSignalDeath"/> says
    /// not to start it again after it died by a signal.</summary>
    /// <param name="onSignalDeath">Given the exit code and the child's last breadcrumb, after the death is reported;
    /// returns whether to start the child again. Null: never.</param>
    /// <returns>The child's exit code, 128 + signal for a death by signal, as a shell reports it.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, Func<int, string?, Task<bool>>? onSignalDeath = null)
    {
        string breadcrumbFile = Path.Combine(Path.GetTempPath(), $"scrl-{Environment.ProcessId}.breadcrumb");
        int childId = 0;
        // Ctrl+C reaches the child as well (one process group): it stops itself, and this process waits for it.
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => signal.Cancel = true);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            PosixProcess.Terminate(Volatile.Read(ref childId));
        });
        ParentWatch.Start(() => PosixProcess.Terminate(Volatile.Read(ref childId)));
        try
        {
            while (true)
            {
                File.Delete(breadcrumbFile);
                int exitCode = await RunChildAsync(args, breadcrumbFile, id => Volatile.Write(ref childId, id));
                if (!ExitStatus.IsSignal(exitCode) || ExitStatus.IsStopRequest(exitCode)) return exitCode;
                string? lastActivity = Breadcrumb.Read(breadcrumbFile);
                AnsiConsole.MarkupLineInterpolated(
                    $"[red]error:[/] scrl {args[0]} was killed by {ExitStatus.Describe(exitCode)} while {lastActivity ?? "starting, before its first step"}.");
                if (onSignalDeath is null || !await onSignalDeath(exitCode, lastActivity)) return exitCode;
            }
        }
        finally
        {
            File.Delete(breadcrumbFile);
        }
    }

    private static async Task<int> RunChildAsync(IReadOnlyList<string> args, string breadcrumbFile, Action<int> started)
    {
        ProcessStartInfo start = ScrlProcess.StartInfo(args);
        start.Environment[ChildVariable] = "1";
        start.Environment[Breadcrumb.FileVariable] = breadcrumbFile;
        start.Environment[ParentWatch.Variable] = "1";
        if (AllocatorTuning.TunablesFor(AllocatorTuning.PolicyFromEnvironment()) is { } tunables && !start.Environment.ContainsKey("GLIBC_TUNABLES"))
            start.Environment["GLIBC_TUNABLES"] = tunables;
        using Process child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the scrl child process.");
        started(child.Id);
        await child.WaitForExitAsync();
        return child.ExitCode;
    }
}
