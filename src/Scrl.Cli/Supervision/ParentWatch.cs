namespace Scrl.Cli.Supervision;

/// <summary>
/// Ends a child process whose parent died, when the parent asked for it (<see cref="Variable"/>=1): a test host or an
/// emulator killed outright cannot stop the Azurite and worker processes it started, so they watch it instead.
/// </summary>
/// <remarks>Linux's PR_SET_PDEATHSIG fires when the thread that forked the child ends, and .NET starts processes from
/// whatever pool thread asks; a re-parented child (getppid changes) is the reliable sign.</remarks>
public static class ParentWatch
{
    public const string Variable = "SCRL_EXIT_WITH_PARENT";
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Whether this process was asked to end with its parent.</summary>
    public static bool Requested => Environment.GetEnvironmentVariable(Variable) == "1" && (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS());

    /// <summary>Calls <paramref name="parentGone"/> once, when this process's parent has exited; returns at once
    /// unless <see cref="Requested"/>.</summary>
    public static void Start(Action parentGone)
    {
        if (!Requested) return;
        int parent = PosixProcess.ParentId();
        var thread = new Thread(() =>
        {
            while (PosixProcess.ParentId() == parent) Thread.Sleep(PollInterval);
            parentGone();
        }) { IsBackground = true, Name = "parent watch" };
        thread.Start();
    }
}
