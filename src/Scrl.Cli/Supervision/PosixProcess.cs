using System.Runtime.InteropServices;

namespace Scrl.Cli.Supervision;

/// <summary>The two POSIX process calls .NET does not offer: sending SIGTERM (a polite stop) and reading the parent's pid.</summary>
public static class PosixProcess
{
    private const int Sigterm = 15;

    /// <summary>Asks <paramref name="pid"/> to stop as a container stop does. No-op for pid 0 (not started).</summary>
    public static void Terminate(int pid)
    {
        if (pid > 0) _ = kill(pid, Sigterm);
    }

    public static int ParentId() => getppid();

    [DllImport("libc")]
    private static extern int kill(int pid, int signal);

    [DllImport("libc")]
    private static extern int getppid();
}
