using Scrl.Cli;
using Spectre.Console.Cli;

// CPU allocator (README, "Speed and memory"): by default the trainer returns malloc's free pages to the OS after
// each step. SCRL_CPU_ALLOCATOR=mmap maps every tensor of 1 MiB or more on its own (least memory, slower);
// SCRL_CPU_ALLOCATOR=glibc leaves glibc's heaps alone (no trim; resident memory varies from run to run).
switch (Environment.GetEnvironmentVariable("SCRL_CPU_ALLOCATOR"))
{
    case "mmap":
        Scrl.Core.Runtime.AllocatorTuning.UseMmapForLargeAllocations();
        break;
    case "glibc":
        AppContext.SetSwitch(Scrl.Core.Runtime.AllocatorTuning.ReleaseAfterStepSwitch, false);
        break;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C stops at the next step boundary (a checkpoint is written); a second one kills the process.
    if (cancel.IsCancellationRequested) return;
    e.Cancel = true;
    cancel.Cancel();
};

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
                 or Scrl.Core.Interop.CheckpointMismatchException or ArgumentException
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
