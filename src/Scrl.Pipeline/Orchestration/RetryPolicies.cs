using Microsoft.DurableTask;

namespace Scrl.Pipeline.Orchestration;

/// <summary>Retry options for activities. Stage retries (a job that failed or missed its deadline) are not here: they
/// follow each stage's <see cref="Specs.StagePolicy"/>, because a retry re-posts the job with the next attempt number.</summary>
public static class RetryPolicies
{
    /// <summary>For store and transport calls: a throttled or briefly unreachable service recovers within a minute.</summary>
    public static readonly TaskOptions TransientIo = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 4, firstRetryInterval: TimeSpan.FromSeconds(2), backoffCoefficient: 2.0));
}
