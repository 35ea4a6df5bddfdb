using Scrl.Pipeline.Reports.Correlation;
using SkiaSharp;

namespace Scrl.Pipeline.Tests.Reports.Correlation;

public sealed class CorrelationAnalysisTests
{
    private static readonly CorrelationOptions Quick = new() { Resamples = 2_000 };

    [Fact]
    public void Build_Fixture_OneSeriesPerProtocolWithScipysR()
    {
        var analysis = CorrelationAnalysis.Build(CorrelationFixture.Runs(), downstream: null, Quick);

        Assert.Equal(CorrelationFixture.Downstream(), analysis.Downstream);
        Assert.Equal(["RoI linear", "image linear"], analysis.Protocols.Select(p => p.Protocol.Name));
        Assert.All(analysis.Protocols, p => Assert.Equal(6, p.Points.Count));
        Assert.Equal(CorrelationFixture.Expected("roi-eval.top1").GetProperty("r").GetDouble(), analysis.Protocols[0].PearsonR!.Value, 1e-12);
        Assert.Equal(CorrelationFixture.Expected("linear-eval.top1").GetProperty("slope").GetDouble(), analysis.Protocols[1].Fit!.Slope, 1e-9);
        Assert.Empty(analysis.Notes);
    }

    [Fact]
    public void RenderPng_Fixture_DrawsBothProtocolColours()
    {
        var analysis = CorrelationAnalysis.Build(CorrelationFixture.Runs(), downstream: null, Quick);

        byte[] png = CorrelationPlot.RenderPng(analysis);

        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal((820, 560), (bitmap.Width, bitmap.Height));
        var colours = bitmap.Pixels.ToHashSet();
        Assert.Contains(new SKColor(0x1f, 0x77, 0xb4), colours);   // RoI linear
        Assert.Contains(new SKColor(0xd6, 0x27, 0x28), colours);   // image linear
    }

    [Fact]
    public void Markdown_Fixture_TableRowPerProtocolAndPointPerRun()
    {
        var analysis = CorrelationAnalysis.Build(CorrelationFixture.Runs(), downstream: null, Quick);

        string md = CorrelationMarkdown.Render(analysis);

        Assert.Contains("| RoI linear | 6 | 0.9969 |", md);
        Assert.Contains("| image linear | 6 | -0.4878 |", md);
        Assert.Contains("| s-004 | RoI linear | 0.488 | 38.01 |", md);
    }

    [Fact]
    public void Build_OneProtocolTooFewRuns_KeepsTheOtherAndSaysWhy()
    {
        var runs = CorrelationFixture.Runs()
            .Select((r, i) => i < 4 ? r with { Metrics = r.Metrics.Where(m => m.Key != "linear-eval.top1").ToDictionary() } : r)
            .ToList();

        var analysis = CorrelationAnalysis.Build(runs, downstream: null, Quick);

        Assert.Equal(["RoI linear"], analysis.Protocols.Select(p => p.Protocol.Name));
        Assert.Contains("image linear: 2 of 6 runs", Assert.Single(analysis.Notes));
    }

    [Fact]
    public void Build_SeveralDownstreamMetrics_AsksWhichOneAndListsThem()
    {
        var runs = CorrelationFixture.Runs()
            .Select(r => r with { Metrics = new Dictionary<string, double>(r.Metrics) { ["finetune-retinanet-coco-det-1x.AP"] = 30 } })
            .ToList();

        var error = Assert.Throws<ArgumentException>(() => CorrelationAnalysis.Build(runs, downstream: null, Quick));
        Assert.Contains("--downstream", error.Message);
        Assert.Contains("finetune-retinanet-coco-det-1x.AP", error.Message);
        Assert.NotNull(CorrelationAnalysis.TryBuild(runs, preferred: null, Quick));
    }

    [Fact]
    public void TryBuild_NoFinetuneStage_IsNull()
    {
        var runs = CorrelationFixture.Runs()
            .Select(r => r with { Metrics = r.Metrics.Where(m => !m.Key.StartsWith("finetune", StringComparison.Ordinal)).ToDictionary() })
            .ToList();

        Assert.Null(CorrelationAnalysis.TryBuild(runs, preferred: null, Quick));
        var error = Assert.Throws<ArgumentException>(() => CorrelationAnalysis.Build(runs, downstream: null, Quick));
        Assert.Contains("roi-eval.top1", error.Message);
    }
}
