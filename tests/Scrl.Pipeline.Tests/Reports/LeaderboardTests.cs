using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Reports;
using Scrl.Pipeline.Specs;
using SkiaSharp;

namespace Scrl.Pipeline.Tests.Reports;

public sealed class LeaderboardTests
{
    private static SweepRunResult Run(string id, string lr, JobStatus status, double? ap) => new(
        id, new Dictionary<string, string> { ["optim.baseLearningRate"] = lr }, status, status == JobStatus.Succeeded ? null : "diverged",
        ap is { } v ? new Dictionary<string, double> { ["finetune-faster-rcnn-coco-det-1x.bboxAp"] = v } : new Dictionary<string, double>());

    private static readonly SweepObjective MaximizeAp = new() { Metric = "finetune-faster-rcnn-coco-det-1x.bboxAp", Goal = ObjectiveGoal.Maximize };

    [Fact]
    public void Rank_Maximize_BestFirstTiesByRunIdUnscoredLast()
    {
        Leaderboard board = Leaderboard.Rank("s", MaximizeAp,
        [
            Run("s-000", "0.1", JobStatus.Succeeded, 38.1),
            Run("s-001", "0.2", JobStatus.Failed, null),
            Run("s-002", "0.3", JobStatus.Succeeded, 40.2),
            Run("s-003", "0.4", JobStatus.Succeeded, 38.1),
            Run("s-004", "0.5", JobStatus.Succeeded, null),
        ]);

        Assert.Equal(["s-002", "s-000", "s-003", "s-001", "s-004"], board.Rows.Select(r => r.RunId));
        Assert.Equal([1, 2, 3, null, null], board.Rows.Select(r => r.Rank));
        Assert.Equal("no metric finetune-faster-rcnn-coco-det-1x.bboxAp", board.Rows[4].Reason);
        Assert.Equal(["optim.baseLearningRate"], board.ParameterKeys);
    }

    [Fact]
    public void RenderPng_DrawsOneBarPerScoredRunWithTheBestHighlighted()
    {
        Leaderboard board = Leaderboard.Rank("s", MaximizeAp,
            [Run("s-000", "0.1", JobStatus.Succeeded, 20), Run("s-001", "0.2", JobStatus.Succeeded, 40), Run("s-002", "0.3", JobStatus.Failed, null)]);

        byte[] png = LeaderboardPlot.RenderPng(board);

        using SKBitmap bitmap = SKBitmap.Decode(png);
        Assert.Equal(900, bitmap.Width);
        Assert.Equal(56 + 2 * 36 + 24, bitmap.Height); // two bars: the failed run has no score
        // The best run's bar (green) is the first; the other is blue; sample each bar's right half.
        Assert.Equal(new SKColor(0x2c, 0xa0, 0x2c), bitmap.GetPixel(700, 56 + 13));
        Assert.Equal(new SKColor(0x1f, 0x77, 0xb4), bitmap.GetPixel(500, 56 + 36 + 13));
        if (Environment.GetEnvironmentVariable("SCRL_KEEP_PLOTS") is { Length: > 0 } folder)
            File.WriteAllBytes(Path.Combine(folder, "leaderboard.png"), png);
    }

    [Fact]
    public void Markdown_ListsEveryRunWithItsGridValues()
    {
        Leaderboard board = Leaderboard.Rank("s", MaximizeAp,
            [Run("s-000", "0.1", JobStatus.Succeeded, 38.1), Run("s-001", "0.2", JobStatus.Failed, null)]);

        string markdown = LeaderboardMarkdown.Render(board);

        Assert.Contains("| Rank | Run | optim.baseLearningRate | finetune-faster-rcnn-coco-det-1x.bboxAp | Status | Note |", markdown);
        Assert.Contains("| 1 | s-000 | 0.1 | 38.1 | Succeeded |  |", markdown);
        Assert.Contains("| – | s-001 | 0.2 | – | Failed | diverged |", markdown);
    }
}
