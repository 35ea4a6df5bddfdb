using System.Diagnostics;

namespace Scrl.Cli.Supervision;

/// <summary>How to start this very CLI again as a child process: <c>dotnet scrl.dll</c> from a build, or the apphost
/// of a single-file publish.</summary>
internal static class ScrlProcess
{
    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        string assembly = typeof(ScrlProcess).Assembly.Location;
        var start = assembly.Length > 0
            ? new ProcessStartInfo("dotnet") { ArgumentList = { assembly } }
            : new ProcessStartInfo(Environment.ProcessPath!);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        start.UseShellExecute = false;
        return start;
    }
}
