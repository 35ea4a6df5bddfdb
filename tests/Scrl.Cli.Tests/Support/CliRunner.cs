using Spectre.Console;
using Spectre.Console.Cli;

namespace Scrl.Cli.Tests.Support;

/// <summary>Runs <c>scrl</c> commands in-process, registered as the app registers them, and captures what they print.</summary>
public static class CliRunner
{
    // Wide enough that hashes and paths are not wrapped.
    private const int DefaultWidth = 240;

    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var run = Start(args, DefaultWidth, CancellationToken.None);
        int code = await run.Exit;
        return (code, run.Output.ToString());
    }

    /// <summary>
    /// Starts a command that runs until stopped: cancelling <paramref name="stop"/> is its Ctrl+C. Its output can be
    /// read while it runs; <paramref name="width"/> is the console's, as a terminal's would be.
    /// </summary>
    public static (Task<int> Exit, ConsoleCapture Output) Start(string[] args, int width, CancellationToken stop)
    {
        var capture = new ConsoleCapture();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(capture),
        });
        console.Profile.Width = width;
        var app = new CommandApp();
        app.Configure(config =>
        {
            ScrlCommands.Register(config);
            config.ConfigureConsole(console);
            config.PropagateExceptions();
        });
        return (app.RunAsync(args, stop), capture);
    }
}

/// <summary>A console's output that tests may read while the command is still writing.</summary>
public sealed class ConsoleCapture : StringWriter
{
    private readonly Lock _gate = new();

    public override void Write(char value)
    {
        lock (_gate) base.Write(value);
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (_gate) base.Write(buffer, index, count);
    }

    public override void Write(string? value)
    {
        lock (_gate) base.Write(value);
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        lock (_gate) base.Write(buffer);
    }

    public override void Write(System.Text.StringBuilder? value)
    {
        lock (_gate) base.Write(value);
    }

    public override void WriteLine(ReadOnlySpan<char> buffer)
    {
        lock (_gate) base.WriteLine(buffer);
    }

    public override string ToString()
    {
        lock (_gate) return base.ToString();
    }
}
