using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Scrl.Pipeline.Activities;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Reports;
using Scrl.Pipeline.Specs;

namespace Scrl.Pipeline.Orchestration;

/// <summary>
/// A sweep: expands the grid into runs, runs them as <see cref="ScrlRunOrchestrator"/> sub-orchestrations with at
/// most <see cref="SweepSpec.MaxConcurrency"/> in flight, then writes the leaderboard. Instance id = sweep id; run
/// <c>i</c> has instance id <c>{sweepId}-{i:000}</c>. A failed run is a leaderboard row, not a failed sweep.
/// </summary>
public sealed class ScrlSweepOrchestrator : TaskOrchestrator<SweepSpec, Leaderboard>
{
    public override async Task<Leaderboard> RunAsync(TaskOrchestrationContext context, SweepSpec sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ILogger log = context.CreateReplaySafeLogger(nameof(ScrlSweepOrchestrator));
        string sweepId = context.InstanceId;
        if (sweep.Validate() is { Count: > 0 } problems)
            throw new ArgumentException($"Invalid sweep spec: {string.Join("; ", problems)}", nameof(sweep));

        IReadOnlyList<SweepMember> members = SweepGrid.Expand(sweep, sweepId);
        log.LogInformation("Sweep {SweepId}: {RunCount} runs, at most {MaxConcurrency} at once", sweepId, members.Count, sweep.MaxConcurrency);
        var inFlight = new List<Task<SweepRunResult>>();
        var finished = new List<SweepRunResult>();
        foreach (SweepMember member in members)
        {
            if (inFlight.Count >= sweep.MaxConcurrency) finished.Add(await TakeFirstFinished(inFlight));
            inFlight.Add(RunMemberAsync(context, member));
            context.SetCustomStatus(new SweepProgress(members.Count, finished.Count, inFlight.Count));
        }
        while (inFlight.Count > 0)
        {
            finished.Add(await TakeFirstFinished(inFlight));
            context.SetCustomStatus(new SweepProgress(members.Count, finished.Count, inFlight.Count));
        }

        Leaderboard board = Leaderboard.Rank(sweepId, sweep.Objective, finished);
        await context.CallActivityAsync<string>(nameof(WriteLeaderboardActivity), board, RetryPolicies.TransientIo);
        return board;
    }

    private static async Task<SweepRunResult> TakeFirstFinished(List<Task<SweepRunResult>> inFlight)
    {
        Task<SweepRunResult> first = await Task.WhenAny(inFlight);
        inFlight.Remove(first);
        return await first;
    }

    private static async Task<SweepRunResult> RunMemberAsync(TaskOrchestrationContext context, SweepMember member)
    {
        string runId = member.Spec.RunId!;
        try
        {
            RunReport report = await context.CallSubOrchestratorAsync<RunReport>(
                nameof(ScrlRunOrchestrator), member.Spec, new SubOrchestrationOptions { InstanceId = runId });
            return new SweepRunResult(runId, member.Parameters, report.Status, report.Reason, report.FlatMetrics());
        }
        catch (TaskFailedException e)
        {
            // The run already wrote its report; the sweep goes on and ranks the others.
            return new SweepRunResult(runId, member.Parameters, JobStatus.Failed, e.FailureDetails.ErrorMessage,
                                      new Dictionary<string, double>());
        }
    }
}

/// <summary>Custom status of a sweep orchestration.</summary>
public sealed record SweepProgress(int Runs, int Finished, int InFlight);
