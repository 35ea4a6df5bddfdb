namespace Scrl.Cli.Commands;

/// <summary>
/// How many bytes a writer may leave dirty in Linux's page cache before the kernel slows it down to the pace of
/// writeback: below it a writer that does not fsync (tar) finishes at memory speed, with little or nothing on the disk.
/// </summary>
internal static class DirtyPageAllowance
{
    /// <summary>
    /// The kernel's free-run ceiling, halfway between the background-writeback threshold and the dirty limit; null where
    /// it cannot be read (not Linux, or no /proc).
    /// </summary>
    public static long? Read()
    {
        try
        {
            long available = MemAvailableBytes();   // a close stand-in for the memory the kernel lets dirty pages fill
            return (Threshold("dirty_background", available) + Threshold("dirty", available)) / 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException or InvalidOperationException)
        {
            return null;
        }
    }

    // vm.<name>_bytes when set, else vm.<name>_ratio percent of the available memory.
    private static long Threshold(string name, long available)
    {
        long bytes = long.Parse(File.ReadAllText($"/proc/sys/vm/{name}_bytes").Trim());
        return bytes > 0 ? bytes : available * long.Parse(File.ReadAllText($"/proc/sys/vm/{name}_ratio").Trim()) / 100;
    }

    private static long MemAvailableBytes() =>
        long.Parse(File.ReadLines("/proc/meminfo").First(line => line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                       .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
}
