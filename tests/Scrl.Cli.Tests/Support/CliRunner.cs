using Spectre.Console;
using Spectre.Console.Cli;

namespace Scrl.Cli.Tests.Support;

/// <summary>Runs <c>scrl</c> commands in-process, registered as the app registers them, and captures what they print.</summary>
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
            ScrlCommands.Register(config);
            config.ConfigureConsole(console);
            config.PropagateExceptions();
        });
        int code = await app.RunAsync(args);
        return (code, writer.ToString());
    }
}
