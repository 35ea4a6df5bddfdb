namespace Scrl.Pipeline.Orchestration;

/// <summary>The custom status of a run orchestration: what the status API shows while the run is in flight.</summary>
/// <param name="Phase">The run's current phase: a stage name, <c>report</c>, or the end state.</param>
/// <param name="Stages">The stages in flight (several while fine-tuning), in the order they started.</param>
public sealed record RunProgress(string Phase, IReadOnlyList<StageProgress> Stages);

/// <summary>One stage in flight.</summary>
/// <param name="State"><c>running</c>, <c>waiting-to-retry</c>, or <c>checking-result-manifest</c>.</param>
/// <param name="Step">From the attempt's <see cref="Jobs.JobProgressBlob"/>, filled in by the status route
/// (<see cref="Api.WorkerProgress"/>); null in the orchestration's own custom status and before the first heartbeat.</param>
/// <param name="ProgressAt">When the worker wrote that progress.</param>
public sealed record StageProgress(
    string Stage,
    int Attempt,
    string State,
    long? Step = null,
    long? TotalSteps = null,
    double? Loss = null,
    DateTimeOffset? ProgressAt = null);
