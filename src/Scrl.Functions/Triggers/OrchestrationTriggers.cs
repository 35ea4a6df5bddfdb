using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Reports;
using Scrl.Pipeline.Specs;

namespace Scrl.Functions.Triggers;

/// <summary>Orchestration triggers: each hands its context to the Scrl.Pipeline orchestrator of the same name.</summary>
public static class OrchestrationTriggers
{
    [Function(nameof(ScrlRunOrchestrator))]
    public static Task<RunReport> ScrlRun([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new ScrlRunOrchestrator().RunAsync(context, context.GetInput<RunSpec>()!);

    [Function(nameof(ScrlSweepOrchestrator))]
    public static Task<Leaderboard> ScrlSweep([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new ScrlSweepOrchestrator().RunAsync(context, context.GetInput<SweepSpec>()!);
}
