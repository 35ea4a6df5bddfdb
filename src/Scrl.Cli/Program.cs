using Scrl.Cli;
using Scrl.Cli.Supervision;
using Spectre.Console.Cli;

// CPU allocator policy (README, "Speed and memory"): SCRL_CPU_ALLOCATOR=reuse (the default: freed tensors stay in
// glibc's heap for the next step), hugepages, trim, glibc or mmap. Applied before anything large is allocated.
try
{
    Scrl.Core.Runtime.AllocatorTuning.EnsureApplied();
}
catch (ArgumentException e)
{
    return UserError(e.Message);
}

// Redirected output (CI logs, `| tee`) has no width, and Spectre would wrap every line at 80 columns, paths and
// progress lines included: there, lines are written whole. A terminal keeps its real width.
if (Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = short.MaxValue;

// A long command runs in a child process, so that a native crash is reported with what it was doing. The worker
// supervises its own child: after a crash it also fails the jobs the child was running (WorkerCommand).
if (CommandSupervisor.ShouldSupervise(args) && args[0] != "worker") return await CommandSupervisor.RunAsync(args);

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C stops at the next step boundary (a checkpoint is written); a second one kills the process.
    if (cancel.IsCancellationRequested) return;
    e.Cancel = true;
    cancel.Cancel();
};
// A container host or service manager stops with SIGTERM: stop as on Ctrl+C (`scrl emulate` stops its workers and
// Azurite, a worker uploads its checkpoint and hands its job back), not with the runtime's immediate exit.
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, signal =>
{
    signal.Cancel = true;
    cancel.Cancel();
});

// A supervised child, or a worker an emulator or test host started, stops when its parent is gone: first as Ctrl+C
// would stop it (at a step boundary, after a checkpoint), then for good.
ParentWatch.Start(() =>
{
    cancel.Cancel();
    Thread.Sleep(TimeSpan.FromSeconds(90));
    Environment.Exit(143);
});

var app = new CommandApp();
app.Configure(config =>
{
    ScrlCommands.Register(config);
    config.SetExceptionHandler((e, _) =>
    {
        // Errors users can act on get one clear message and exit code 2; anything else is a bug and shows its stack.
        switch (e)
        {
            case Scrl.Core.Configuration.ConfigException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException
                 or Scrl.Core.Interop.CheckpointMismatchException or Scrl.Detection.DetectorMismatchException or ArgumentException
                 or Azure.RequestFailedException or Azure.Identity.AuthenticationFailedException:
                return UserError(e.Message);
            case CommandParseException or CommandRuntimeException:   // the command line itself: unknown command or option, bad value
                if (((CommandAppException)e).Pretty is not { } pretty) return UserError(e.Message);
                Spectre.Console.AnsiConsole.Write(pretty);
                return 2;
            case Scrl.Core.Training.RunFolderConflictException conflict:
                return UserError($"{conflict.Message} (-o <another folder>)");
            default:
                Spectre.Console.AnsiConsole.WriteException(e);
                return 1;
        }
    });
});
return await app.RunAsync(args, cancel.Token);

static int UserError(string message)
{
    Spectre.Console.AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {message}");
    return 2;
}
