using Scrl.Core.Reporting;
using Scrl.Core.Tests.Support;
using Scrl.Core.Training;
using Scrl.Core.Training.Metrics;

namespace Scrl.Core.Tests.Reporting;

public class RunReportTests
{
    [Fact]
    public void Write_SmallRun_WritesEveryChartAndTheSummary()
    {
        using var temp = new TempDirectory();
        var layout = new RunLayout(temp.Path);
        using (var sink = new JsonlMetricSink(layout.Metrics))
        {
            for (int i = 1; i <= 5; i++)
            {
                sink.Write(i * 10, new Dictionary<string, double>
                {
                    ["loss"] = 4.0 / i,
                    ["loss/regression"] = 3.0 / i,
                    ["lr"] = 0.1 * i,
                    ["ema_momentum"] = 0.99 + 0.001 * i,
                    ["throughput/pairs_per_s"] = 100 + i * i,   // 101, 104, 109, 116, 125: median 109
                    ["time/step_s"] = 0.25,
                });
            }
        }

        var written = RunReport.Write(layout);

        string[] charts = ["loss.png", "lr.png", "ema_momentum.png", "throughput.png"];
        Assert.Equal([.. charts.Select(f => Path.Combine(layout.Report, f)), Path.Combine(layout.Report, "report.md")], written);
        foreach (string chart in charts)
        {
            using var png = new PngPixels(File.ReadAllBytes(Path.Combine(layout.Report, chart)));
            Assert.Equal((800, 480), (png.Width, png.Height));
        }
        string markdown = File.ReadAllText(Path.Combine(layout.Report, "report.md"));
        Assert.Contains("| Steps | 10 to 50 (5 records) |", markdown);
        Assert.Contains("| Final loss | 0.8 (step 50) |", markdown);
        Assert.Contains("| Median throughput | 109 image pairs/s |", markdown);
        Assert.Contains("| Learning rate | min 0.1, max 0.5 |", markdown);
        Assert.All(charts, chart => Assert.Contains($"]({chart})", markdown));
        Assert.Contains("| `time/step_s` | 50 | 0.25 |", markdown);
        Assert.Empty(Directory.GetFiles(layout.Report, "*.tmp"));   // atomic writes left no temporaries behind
    }

    [Fact]
    public void Write_OnlyLossLogged_SkipsChartsWithNoData()
    {
        using var temp = new TempDirectory();
        var layout = new RunLayout(temp.Path);
        File.WriteAllText(layout.Metrics, """{"step":1,"wallTime":1,"scalars":{"loss":"NaN"}}""" + "\n");

        RunReport.Write(layout);

        Assert.Equal(["loss.png", "report.md"], Directory.GetFiles(layout.Report).Select(Path.GetFileName).Order());
        string markdown = File.ReadAllText(Path.Combine(layout.Report, "report.md"));
        Assert.Contains("| Final loss | NaN (step 1) |", markdown);
        Assert.DoesNotContain("lr.png", markdown);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("{\"step\":1,\"wallTi")]
    public void Write_NoRecords_WritesANoteAndNoCharts(string? metricsContent)
    {
        using var temp = new TempDirectory();
        var layout = new RunLayout(temp.Path);
        if (metricsContent is not null) File.WriteAllText(layout.Metrics, metricsContent);

        var written = RunReport.Write(layout);

        Assert.Equal([Path.Combine(layout.Report, "report.md")], written);
        Assert.Equal(["report.md"], Directory.GetFiles(layout.Report).Select(Path.GetFileName));
        Assert.Contains("No metrics were logged yet", File.ReadAllText(written[0]));
    }
}
