using System.ComponentModel;
using Microsoft.Extensions.Logging;
using Scrl.Cli.Emulation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Scrl.Cli.Commands;

/// <summary><c>scrl emulate</c>: the cloud pipeline on this machine (Azurite, durable orchestrators, the HTTP API,
/// worker processes) until Ctrl+C. See docs/emulate.md.</summary>
public sealed class EmulateCommand(IAnsiConsole console) : AsyncCommand<EmulateCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--port <PORT>")]
        [Description("HTTP port on 127.0.0.1 for the /api routes.")]
        [DefaultValue(7071)]
        public int Port { get; init; } = 7071;

        [CommandOption("--workers <N>")]
        [Description("`scrl worker` child processes on the jobs queue (CPU).")]
        [DefaultValue(1)]
        public int Workers { get; init; } = 1;

        [CommandOption("--azurite <AUTO_OR_CONNECTION_STRING>")]
        [Description("auto: start Azurite from the repo's npm package; otherwise a storage connection string to use.")]
        [DefaultValue("auto")]
        public string Azurite { get; init; } = "auto";

        [CommandOption("--data <DIR>")]
        [Description("Azurite's data (kept across restarts) and the workers' scratch folders.")]
        [DefaultValue(".scrl-emulate")]
        public string Data { get; init; } = ".scrl-emulate";
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        string data = Path.GetFullPath(settings.Data);
        await using AzuriteProcess? azurite = settings.Azurite == "auto"
            ? await AzuriteProcess.StartAsync(Path.Combine(data, "azurite"), cancellationToken)
            : null;
        string storage = azurite?.Endpoints.ConnectionString ?? settings.Azurite;
        var options = new EmulatorOptions { StorageConnectionString = storage, DataDirectory = data, Port = settings.Port, Workers = settings.Workers };

        await using EmulatorHost host = await EmulatorHost.StartAsync(options, logging => logging.AddSimpleConsole(o => o.SingleLine = true), cancellationToken);
        console.MarkupLineInterpolated($"[green]scrl emulate[/] API at [bold]{host.BaseAddress}api/runs[/], {settings.Workers} worker(s); Ctrl+C stops everything.");
        console.WriteLine("storage connection string:");
        console.WriteCopyable(storage);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.MarkupLine("stopping: workers checkpoint and hand back their jobs...");
        }
        return 0;
    }
}
