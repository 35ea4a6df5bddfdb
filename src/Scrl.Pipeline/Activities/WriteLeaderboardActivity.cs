using System.Text;
using System.Text.Json;
using Microsoft.DurableTask;
using Scrl.Pipeline.Artifacts;
using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Reports;
using Scrl.Pipeline.Specs;

namespace Scrl.Pipeline.Activities;

/// <summary>Writes <c>sweeps/{sweepId}/leaderboard.json</c>, <c>leaderboard.md</c> and <c>leaderboard.png</c>.
/// Returns the Markdown's name. Idempotent: each write replaces the artifact whole.</summary>
public sealed class WriteLeaderboardActivity(IArtifactStore store) : TaskActivity<Leaderboard, string>
{
    public const string JsonFileName = "leaderboard.json", MarkdownFileName = "leaderboard.md", PlotFileName = "leaderboard.png";

    public override async Task<string> RunAsync(TaskActivityContext context, Leaderboard board)
    {
        ArgumentNullException.ThrowIfNull(board);
        await store.UploadAsync(PipelineArtifacts.Sweep(board.SweepId, JsonFileName),
                                new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(board, SpecJson.Options))).ConfigureAwait(false);
        await store.UploadAsync(PipelineArtifacts.Sweep(board.SweepId, PlotFileName), new MemoryStream(LeaderboardPlot.RenderPng(board))).ConfigureAwait(false);
        string markdown = PipelineArtifacts.Sweep(board.SweepId, MarkdownFileName);
        await store.UploadAsync(markdown, new MemoryStream(Encoding.UTF8.GetBytes(LeaderboardMarkdown.Render(board, PlotFileName)))).ConfigureAwait(false);
        return markdown;
    }
}
