using Scrl.Cli.Commands;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Scrl.Cli.Tests.Support;

/// <summary>Runs the data and evaluation commands in-process, as <c>scrl</c> registers them, and captures what they print.</summary>
public static class CliRunner
{
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 240;   // wide enough that hashes and paths are not wrapped
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.ConfigureConsole(console);
            config.PropagateExceptions();
            config.AddCommand<ShardCommand>("shard");
            config.AddCommand<EvaluateCommand>("evaluate");
            config.AddBranch("dataset", dataset => dataset.AddCommand<DatasetInspectCommand>("inspect"));
            config.AddBranch("bench", bench => bench.AddCommand<BenchDataCommand>("data"));
        });
        int code = await app.RunAsync(args);
        return (code, writer.ToString());
    }
}
