namespace Scrl.Cli.Supervision;

/// <summary>Reads a child's exit code as a shell does: above 128 it died by signal (code − 128).</summary>
public static class ExitStatus
{
    private static readonly Dictionary<int, string> SignalNames = new()
    {
        [1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [4] = "SIGILL", [5] = "SIGTRAP", [6] = "SIGABRT", [7] = "SIGBUS",
        [8] = "SIGFPE", [9] = "SIGKILL", [11] = "SIGSEGV", [13] = "SIGPIPE", [15] = "SIGTERM",
    };

    /// <summary>Whether the exit code is a death by signal.</summary>
    public static bool IsSignal(int exitCode) => exitCode is > 128 and < 128 + 65;

    /// <summary>Whether the process was stopped on request: Ctrl+C (SIGINT) or a host's stop (SIGTERM).</summary>
    public static bool IsStopRequest(int exitCode) => exitCode is 128 + 2 or 128 + 15;

    /// <summary>"SIGFPE (signal 8, exit 136)" for a death by signal, "exit 3" otherwise.</summary>
    public static string Describe(int exitCode)
    {
        if (!IsSignal(exitCode)) return $"exit {exitCode}";
        int signal = exitCode - 128;
        return $"{SignalNames.GetValueOrDefault(signal, "signal")} (signal {signal}, exit {exitCode})";
    }
}
