using Scrl.Core.Reporting;
using Scrl.Core.Tests.Support;
using Scrl.Core.Training.Metrics;

namespace Scrl.Core.Tests.Reporting;

public class MetricsLogTests
{
    [Fact]
    public void Read_NaNStringsAndTornLastLine_KeepsCompleteRecordsOnly()
    {
        using var temp = new TempDirectory();
        string path = temp.File("metrics.jsonl");
        File.WriteAllText(path,
            """
            {"step":1,"wallTime":1.0,"scalars":{"loss":1.5,"lr":0.1}}
            {"step":2,"wallTime":2.0,"scalars":{"loss":"NaN","lr":0.2,"grad":"-Infinity"}}

            {"step":3,"wallTime":3.0,"scal
            """);

        var log = MetricsLog.Read(path);

        Assert.Equal(2, log.RecordCount);
        Assert.Equal(1, log.SkippedLines);
        Assert.Equal([new MetricPoint(1, 1.5), new MetricPoint(2, double.NaN)], log["loss"]);
        Assert.Equal([new MetricPoint(1, 0.1), new MetricPoint(2, 0.2)], log["lr"]);
        Assert.Equal([new MetricPoint(2, double.NegativeInfinity)], log["grad"]);
        Assert.Empty(log["never_logged"]);
    }

    [Fact]
    public void Read_ResumedRun_LaterRecordReplacesTheWholeStep()
    {
        using var temp = new TempDirectory();
        string path = temp.File("metrics.jsonl");
        // The first run died mid-line at step 30; the resumed run re-logged step 20 and appended onto the torn line.
        File.WriteAllText(path,
            """
            {"step":10,"wallTime":1,"scalars":{"loss":5}}
            {"step":20,"wallTime":2,"scalars":{"loss":4,"stale":9}}
            {"step":30,"wall{"step":20,"wallTime":3,"scalars":{"loss":3}}
            {"step":20,"wallTime":4,"scalars":{"loss":3.5}}
            {"step":30,"wallTime":5,"scalars":{"loss":2}}
            """);

        var log = MetricsLog.Read(path);

        Assert.Equal([new MetricPoint(10, 5), new MetricPoint(20, 3.5), new MetricPoint(30, 2)], log["loss"]);
        Assert.False(log.Series.ContainsKey("stale"));   // dropped with the record it belonged to
        Assert.Equal(3, log.RecordCount);
        Assert.Equal(1, log.SkippedLines);
    }

    [Fact]
    public void Read_WhatTheSinkWrote_RoundTripsIncludingNonFinite()
    {
        using var temp = new TempDirectory();
        string path = temp.File("metrics.jsonl");
        using (var sink = new JsonlMetricSink(path))
        {
            sink.Write(5, new Dictionary<string, double> { ["loss"] = 0.75, ["throughput/pairs_per_s"] = 120.5 });
            sink.Write(10, new Dictionary<string, double> { ["loss"] = double.PositiveInfinity, ["throughput/pairs_per_s"] = 130 });
        }

        var log = MetricsLog.Read(path);

        Assert.Equal([new MetricPoint(5, 0.75), new MetricPoint(10, double.PositiveInfinity)], log["loss"]);
        Assert.Equal([new MetricPoint(5, 120.5), new MetricPoint(10, 130)], log["throughput/pairs_per_s"]);
    }

    [Fact]
    public void Read_MissingFile_IsEmpty()
    {
        using var temp = new TempDirectory();

        var log = MetricsLog.Read(temp.File("metrics.jsonl"));

        Assert.True(log.IsEmpty);
        Assert.Empty(log.Series);
    }
}
