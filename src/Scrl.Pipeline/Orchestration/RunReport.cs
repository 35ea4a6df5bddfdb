using Scrl.Pipeline.Jobs;

namespace Scrl.Pipeline.Orchestration;

/// <summary>What a run did: its end state and each stage's result, in the order the stages ran.
/// Written to <c>runs/{runId}/report.json</c> and returned by <see cref="ScrlRunOrchestrator"/>.</summary>
/// <param name="Reason">Why the run failed or was cancelled; null on success.</param>
public sealed record RunReport(
    string RunId,
    JobStatus Status,
    string? Reason,
    DateTime StartedUtc,
    DateTime FinishedUtc,
    IReadOnlyList<StageResult> Stages)
{
    /// <summary>Every stage metric as <c>{stage}.{metric}</c>, e.g. <c>pretrain.finalLoss</c>.</summary>
    public IReadOnlyDictionary<string, double> FlatMetrics() =>
        Stages.SelectMany(stage => stage.Metrics.Select(metric => (Key: $"{stage.Stage}.{metric.Key}", metric.Value)))
              .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
}
