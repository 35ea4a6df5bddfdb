using System.Diagnostics;
using System.Text;
using Scrl.Cli.Supervision;

namespace Scrl.Cli.Tests.Support;

/// <summary>scrl in its own process, as a user starts it (not supervised by anything of the test's).</summary>
public sealed class ScrlUnderTest : IDisposable
{
    private readonly StringBuilder _output = new();

    private ScrlUnderTest(Process process) => Process = process;

    public Process Process { get; }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static ScrlUnderTest Start(string[] args, bool throughShell = false)
    {
        string scrl = typeof(ScrlCommands).Assembly.Location;
        var start = throughShell
            ? new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", "dotnet \"$0\" \"$@\" & wait", scrl } }
            : new ProcessStartInfo("dotnet") { ArgumentList = { scrl } };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        (start.RedirectStandardOutput, start.RedirectStandardError, start.UseShellExecute) = (true, true, false);
        start.Environment.Remove(CommandSupervisor.ChildVariable);
        if (throughShell) start.Environment[ParentWatch.Variable] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("scrl did not start");
        var started = new ScrlUnderTest(process);
        process.OutputDataReceived += (_, e) => started.Append(e.Data);
        process.ErrorDataReceived += (_, e) => started.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; past <paramref name="timeout"/> fails with the output so far.</summary>
    public async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout) throw new TimeoutException($"condition not met within {timeout}; output:\n{Output}");
            await Task.Delay(200);
        }
    }

    public void Dispose()
    {
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        Process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }
}
