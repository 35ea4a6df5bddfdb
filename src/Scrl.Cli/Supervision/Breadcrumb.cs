using System.Diagnostics;
using System.Text;
using Scrl.Core.IO;

namespace Scrl.Cli.Supervision;

/// <summary>
/// One line saying what this process is doing now (stage, step), kept in a file the supervising parent names. A
/// native crash ends the process without running any of its code, so the parent reads the last line left here to
/// say what was lost.
/// </summary>
public static class Breadcrumb
{
    /// <summary>Environment variable with the breadcrumb file's path; set by <see cref="CommandSupervisor"/>.</summary>
    public const string FileVariable = "SCRL_BREADCRUMB_FILE";

    private static readonly long MinIntervalTicks = Stopwatch.Frequency / 2;
    private static readonly string? FilePath = Environment.GetEnvironmentVariable(FileVariable);
    private static readonly Lock Gate = new();
    private static long _lastWrite = long.MinValue / 2;

    /// <summary>Records <paramref name="activity"/>, at most twice a second unless <paramref name="now"/> (a stage change).</summary>
    public static void Leave(string activity, bool now = false)
    {
        if (FilePath is null) return;
        lock (Gate)
        {
            long ticks = Stopwatch.GetTimestamp();
            if (!now && ticks - _lastWrite < MinIntervalTicks) return;
            _lastWrite = ticks;
            try
            {
                // Only a crash of this process has to be survived: no flush to the device.
                AtomicFile.WriteAllBytes(FilePath, Encoding.UTF8.GetBytes(activity), syncToDisk: false);
            }
            catch (IOException)
            {
                // Advisory only: a full disk must not stop training.
            }
        }
    }

    /// <returns>The last activity left in <paramref name="path"/>, or null when none was.</returns>
    public static string? Read(string path)
    {
        try
        {
            string text = File.ReadAllText(path).Trim();
            return text.Length > 0 ? text : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
