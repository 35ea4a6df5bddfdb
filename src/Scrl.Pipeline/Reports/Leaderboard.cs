using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Specs;

namespace Scrl.Pipeline.Reports;

/// <summary>How one run of a sweep ended.</summary>
/// <param name="Parameters">The grid values of this run (override key → value).</param>
/// <param name="Metrics">The run's metrics as <c>{stage}.{metric}</c>.</param>
public sealed record SweepRunResult(
    string RunId,
    IReadOnlyDictionary<string, string> Parameters,
    JobStatus Status,
    string? Reason,
    IReadOnlyDictionary<string, double> Metrics);

/// <summary>A row of the leaderboard.</summary>
/// <param name="Rank">1 for the best; null for a run without the objective metric (failed, cancelled, or not reported).</param>
/// <param name="Score">The run's objective metric.</param>
public sealed record LeaderboardRow(
    int? Rank, string RunId, IReadOnlyDictionary<string, string> Parameters, JobStatus Status, double? Score, string? Reason);

/// <summary>A sweep's runs ranked by its objective: written as leaderboard.json/.md/.png and returned by the sweep.</summary>
public sealed record Leaderboard(string SweepId, SweepObjective Objective, IReadOnlyList<string> ParameterKeys, IReadOnlyList<LeaderboardRow> Rows)
{
    /// <summary>Ranks <paramref name="runs"/>: scored runs best first (ties keep run order), then the rest in run order.</summary>
    public static Leaderboard Rank(string sweepId, SweepObjective objective, IReadOnlyList<SweepRunResult> runs)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(runs);
        var scored = runs
            .Select(run => (Run: run, Score: run.Status == JobStatus.Succeeded && run.Metrics.TryGetValue(objective.Metric, out double v) && double.IsFinite(v) ? v : (double?)null))
            .ToList();
        var ordered = objective.Goal == ObjectiveGoal.Maximize
            ? scored.Where(r => r.Score is not null).OrderByDescending(r => r.Score!.Value)
            : scored.Where(r => r.Score is not null).OrderBy(r => r.Score!.Value);
        var rows = ordered.ThenBy(r => r.Run.RunId, StringComparer.Ordinal)
            .Select((r, i) => new LeaderboardRow(i + 1, r.Run.RunId, r.Run.Parameters, r.Run.Status, r.Score, r.Run.Reason))
            .Concat(scored.Where(r => r.Score is null).OrderBy(r => r.Run.RunId, StringComparer.Ordinal)
                .Select(r => new LeaderboardRow(null, r.Run.RunId, r.Run.Parameters, r.Run.Status, null,
                                                r.Run.Reason ?? $"no metric {objective.Metric}")))
            .ToList();
        string[] keys = [.. runs.SelectMany(r => r.Parameters.Keys).Distinct().Order(StringComparer.Ordinal)];
        return new Leaderboard(sweepId, objective, keys, rows);
    }
}
