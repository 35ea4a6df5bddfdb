namespace Scrl.Worker;

/// <summary>How a <see cref="JobWorker"/> receives, guards and settles jobs.</summary>
public sealed record JobWorkerOptions
{
    /// <summary>Jobs run at once; each has its own receive loop. One per GPU.</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>A job delivered more often than this is dead-lettered instead of run again.</summary>
    public int MaxDeliveries { get; init; } = 5;

    /// <summary>How long one receive call waits for a job.</summary>
    public TimeSpan ReceiveWait { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Lease of the <c>jobs/{jobId}.claim</c> claim; renewed every third of it while the job runs.</summary>
    public TimeSpan ClaimLease { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A job whose claim another worker holds is abandoned to come back after this long.</summary>
    public TimeSpan ClaimHeldRetryDelay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the message lock is renewed and progress is reported; well within the lock duration.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Time allowed to upload, settle and report after the host asked to stop.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Local scratch space: one folder per job, plus downloaded datasets.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (Concurrency < 1) problems.Add($"Concurrency must be >= 1, was {Concurrency}");
        if (MaxDeliveries < 1) problems.Add($"MaxDeliveries must be >= 1, was {MaxDeliveries}");
        if (ReceiveWait <= TimeSpan.Zero) problems.Add($"ReceiveWait must be > 0, was {ReceiveWait}");
        if (ClaimLease < TimeSpan.FromSeconds(15) || ClaimLease > TimeSpan.FromSeconds(60))
            problems.Add($"ClaimLease must be in [15 s, 60 s] (blob lease limits), was {ClaimLease}");
        if (ClaimHeldRetryDelay < TimeSpan.Zero) problems.Add($"ClaimHeldRetryDelay must be >= 0, was {ClaimHeldRetryDelay}");
        if (HeartbeatInterval <= TimeSpan.Zero) problems.Add($"HeartbeatInterval must be > 0, was {HeartbeatInterval}");
        if (ShutdownGrace <= TimeSpan.Zero) problems.Add($"ShutdownGrace must be > 0, was {ShutdownGrace}");
        if (string.IsNullOrWhiteSpace(WorkDirectory)) problems.Add("WorkDirectory must be set");
        if (problems.Count > 0) throw new ArgumentException("Invalid JobWorkerOptions: " + string.Join("; ", problems) + ".");
    }
}
