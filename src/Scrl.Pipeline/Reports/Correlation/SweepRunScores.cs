using System.Text.Json;
using Scrl.Pipeline.Activities;
using Scrl.Pipeline.Artifacts;
using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Specs;

namespace Scrl.Pipeline.Reports.Correlation;

/// <summary>Reads the runs of a sweep, or single runs, from the artifact store: each run's <c>runs/{runId}/report.json</c>.</summary>
public static class SweepRunScores
{
    /// <summary>The runs listed in <c>sweeps/{sweepId}/leaderboard.json</c>, with their report's metrics.</summary>
    /// <exception cref="FileNotFoundException">The sweep has no leaderboard yet.</exception>
    public static async Task<IReadOnlyList<RunScores>> LoadSweepAsync(IArtifactStore store, string sweepId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        string name = PipelineArtifacts.Sweep(sweepId, WriteLeaderboardActivity.JsonFileName);
        if (!await store.ExistsAsync(name, cancellationToken).ConfigureAwait(false))
            throw new FileNotFoundException($"Sweep '{sweepId}' has no {name} in the store; has it finished?", name);
        Leaderboard board;
        await using (var stream = await store.OpenReadAsync(name, cancellationToken).ConfigureAwait(false))
            board = await JsonSerializer.DeserializeAsync<Leaderboard>(stream, SpecJson.Options, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidDataException($"{name} is empty");
        return await LoadRunsAsync(store, [.. board.Rows.Select(r => r.RunId)], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Each run's report metrics; runs without a report yet are left out.</summary>
    public static async Task<IReadOnlyList<RunScores>> LoadRunsAsync(IArtifactStore store, IReadOnlyList<string> runIds,
                                                                      CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(runIds);
        var runs = new List<RunScores>();
        foreach (string runId in runIds)
        {
            string name = PipelineArtifacts.RunReportJson(runId);
            if (!await store.ExistsAsync(name, cancellationToken).ConfigureAwait(false)) continue;
            await using var stream = await store.OpenReadAsync(name, cancellationToken).ConfigureAwait(false);
            var report = await JsonSerializer.DeserializeAsync<RunReport>(stream, SpecJson.Options, cancellationToken).ConfigureAwait(false)
                         ?? throw new InvalidDataException($"{name} is empty");
            runs.Add(new RunScores(runId, report.FlatMetrics()));
        }
        return runs;
    }
}
