using Scrl.Cli.Commands;
using Spectre.Console.Cli;

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
    config.SetApplicationName("scrl");
    config.AddCommand<DoctorCommand>("doctor")
        .WithDescription("Report the torch backend, threads and CUDA availability.");
});
return await app.RunAsync(args, cancel.Token);
