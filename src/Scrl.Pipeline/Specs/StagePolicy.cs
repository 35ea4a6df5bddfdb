namespace Scrl.Pipeline.Specs;

/// <summary>How long the orchestrator waits for a stage's job and how often it retries it.</summary>
/// <remarks>Each retry posts the same job with the next attempt number; the worker resumes from the stage's last
/// checkpoint, so a retry costs only the steps since that checkpoint.</remarks>
public sealed record StagePolicy
{
    /// <summary>Deadline of one attempt, from posting the job to its outcome.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Attempts in all, the first included. Default 3.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Wait before the second attempt; later waits grow by <see cref="BackoffCoefficient"/>. Default 1 minute.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often, while waiting for an attempt's outcome, the orchestrator also reads the job's result manifest,
    /// so an outcome whose report was lost is found within this interval rather than at the deadline. Default 5 minutes.</summary>
    public TimeSpan ResultCheckInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Growth of the wait between attempts. Default 2.</summary>
    public double BackoffCoefficient { get; init; } = 2.0;

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based): exponential backoff.</summary>
    public TimeSpan RetryDelayAfter(int attempt) =>
        TimeSpan.FromTicks((long)(FirstRetryDelay.Ticks * Math.Pow(BackoffCoefficient, attempt - 1)));

    public IReadOnlyList<ValidationError> Validate(string path)
    {
        var errors = new List<ValidationError>();
        if (Timeout <= TimeSpan.Zero) errors.Add(new($"{path}.timeout", $"must be > 0, was {Timeout}"));
        if (MaxAttempts is < 1 or > 20) errors.Add(new($"{path}.maxAttempts", $"must be in [1, 20], was {MaxAttempts}"));
        if (ResultCheckInterval < TimeSpan.FromSeconds(1))
            errors.Add(new($"{path}.resultCheckInterval", $"must be >= 1 second, was {ResultCheckInterval}"));
        if (FirstRetryDelay < TimeSpan.Zero) errors.Add(new($"{path}.firstRetryDelay", $"must be >= 0, was {FirstRetryDelay}"));
        if (BackoffCoefficient is < 1 or > 10 || double.IsNaN(BackoffCoefficient))
            errors.Add(new($"{path}.backoffCoefficient", $"must be in [1, 10], was {BackoffCoefficient}"));
        return errors;
    }
}
