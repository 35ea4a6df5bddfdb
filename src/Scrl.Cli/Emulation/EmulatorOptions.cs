namespace Scrl.Cli.Emulation;

/// <summary>How <see cref="EmulatorHost"/> runs: where storage is, what it serves, and the short local timings
/// that let a killed process's work come back in seconds instead of minutes.</summary>
public sealed record EmulatorOptions
{
    /// <summary>Azurite (or any storage account) with blob, queue and table endpoints.</summary>
    public required string StorageConnectionString { get; init; }

    /// <summary>Root of the workers' scratch folders.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>HTTP port on loopback; 0 picks a free one.</summary>
    public int Port { get; init; } = 7071;

    /// <summary><c>scrl worker</c> child processes started with the host.</summary>
    public int Workers { get; init; } = 1;

    public string TaskHub { get; init; } = "scrlemulate";
    public string JobsQueue { get; init; } = "jobs";

    /// <summary>Visibility timeout of DurableTask's work-item and control queues: how soon a killed host's
    /// orchestration or activity runs elsewhere.</summary>
    public TimeSpan DurableVisibilityTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Workers' message lock (renewed by their heartbeat) and blob claim lease: how soon a killed
    /// worker's job is delivered again and may be claimed.</summary>
    public TimeSpan WorkerLock { get; init; } = TimeSpan.FromSeconds(20);
    public TimeSpan WorkerClaimLease { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan WorkerHeartbeat { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(StorageConnectionString)) problems.Add("a storage connection string is required");
        if (string.IsNullOrWhiteSpace(DataDirectory)) problems.Add("a data directory is required");
        if (Port is < 0 or > 65535) problems.Add($"--port must be in [0, 65535], was {Port}");
        if (Workers < 0) problems.Add($"--workers must be >= 0, was {Workers}");
        if (WorkerClaimLease < TimeSpan.FromSeconds(15) || WorkerClaimLease > TimeSpan.FromSeconds(60))
            problems.Add($"the worker claim lease must be in [15 s, 60 s], was {WorkerClaimLease}");
        if (WorkerHeartbeat >= WorkerLock) problems.Add("the worker heartbeat must be shorter than its message lock");
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems) + ".");
    }
}
