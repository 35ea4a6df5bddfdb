using Scrl.Pipeline.Jobs;

namespace Scrl.Worker;

/// <summary>Keeps only the newest report: a stage reports every step, the heartbeat forwards one now and then.</summary>
internal sealed class LatestProgress : IProgress<JobProgress>
{
    private JobProgress? _latest;

    public void Report(JobProgress value) => Volatile.Write(ref _latest, value);

    /// <summary>The newest report since the last call, or null when nothing new arrived.</summary>
    public JobProgress? TakeNew() => Interlocked.Exchange(ref _latest, null);
}
