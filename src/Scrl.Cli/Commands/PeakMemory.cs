using System.Diagnostics;

namespace Scrl.Cli.Commands;

/// <summary>The process's peak resident memory so far, as every benchmark reports it.</summary>
internal static class PeakMemory
{
    /// <summary>Peak RSS in MiB (the kernel's high-water mark, VmHWM on Linux), to one decimal.</summary>
    public static double ResidentMegabytes()
    {
        using var process = Process.GetCurrentProcess();
        return Math.Round(process.PeakWorkingSet64 / 1048576.0, 1);
    }
}
