using System.Text;
using System.Text.Json;
using Microsoft.DurableTask;
using Scrl.Pipeline.Artifacts;
using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Reports;
using Scrl.Pipeline.Reports.Correlation;
using Scrl.Pipeline.Specs;

namespace Scrl.Pipeline.Activities;

/// <summary>Writes <c>sweeps/{sweepId}/leaderboard.json</c>, <c>leaderboard.md</c> and <c>leaderboard.png</c>; when the
/// runs have a linear-evaluation stage and a fine-tuning stage, also <c>correlation.json</c> and <c>correlation.png</c>,
/// with the correlation's table in <c>leaderboard.md</c>. Returns the Markdown's name. Idempotent: each write replaces
/// the artifact whole, and the correlation's bootstrap is seeded.</summary>
public sealed class WriteLeaderboardActivity(IArtifactStore store) : TaskActivity<Leaderboard, string>
{
    public const string JsonFileName = "leaderboard.json", MarkdownFileName = "leaderboard.md", PlotFileName = "leaderboard.png";
    public const string CorrelationJsonFileName = "correlation.json", CorrelationPlotFileName = "correlation.png";

    public override async Task<string> RunAsync(TaskActivityContext context, Leaderboard board)
    {
        ArgumentNullException.ThrowIfNull(board);
        await store.UploadAsync(PipelineArtifacts.Sweep(board.SweepId, JsonFileName),
                                new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(board, SpecJson.Options))).ConfigureAwait(false);
        await store.UploadAsync(PipelineArtifacts.Sweep(board.SweepId, PlotFileName), new MemoryStream(LeaderboardPlot.RenderPng(board))).ConfigureAwait(false);

        // The run reports were written before the sweep ranked its runs.
        var runs = await SweepRunScores.LoadRunsAsync(store, [.. board.Rows.Select(r => r.RunId)]).ConfigureAwait(false);
        var correlation = CorrelationAnalysis.TryBuild(runs, board.Objective.Metric, new CorrelationOptions());
        string text = LeaderboardMarkdown.Render(board, PlotFileName);
        if (correlation is not null)
        {
            await store.UploadAsync(PipelineArtifacts.Sweep(board.SweepId, CorrelationJsonFileName),
                                    new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(correlation, SpecJson.Options))).ConfigureAwait(false);
            await store.UploadAsync(PipelineArtifacts.Sweep(board.SweepId, CorrelationPlotFileName),
                                    new MemoryStream(CorrelationPlot.RenderPng(correlation))).ConfigureAwait(false);
            text += "\n" + CorrelationMarkdown.Render(correlation, CorrelationPlotFileName, heading: "##");
        }
        string markdown = PipelineArtifacts.Sweep(board.SweepId, MarkdownFileName);
        await store.UploadAsync(markdown, new MemoryStream(Encoding.UTF8.GetBytes(text))).ConfigureAwait(false);
        return markdown;
    }
}
