namespace Scrl.Pipeline.Transports;

/// <summary>How <see cref="StorageQueueJobTransport"/> locks and polls.</summary>
public sealed record StorageQueueJobTransportOptions
{
    /// <summary>Visibility timeout of each receive and renewal: the message lock. Storage allows up to 7 days.</summary>
    public TimeSpan LockDuration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Storage queues do not long-poll: an empty receive waits this long before asking again.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (LockDuration < TimeSpan.FromSeconds(1) || LockDuration > TimeSpan.FromDays(7))
            problems.Add($"LockDuration must be in [1 s, 7 days], was {LockDuration}");
        if (PollInterval <= TimeSpan.Zero) problems.Add($"PollInterval must be > 0, was {PollInterval}");
        if (problems.Count > 0)
            throw new ArgumentException("Invalid StorageQueueJobTransportOptions: " + string.Join("; ", problems) + ".");
    }
}
