using System.Text.Json;
using Scrl.Core.Configuration;
using Scrl.Core.IO;
using Scrl.Core.Reporting;

namespace Scrl.Core.Evaluation;

/// <summary>Writes a report as <c>roi-eval.json</c> and <c>roi-eval-by-size.png</c> (top-1 per COCO size bucket, and overall).</summary>
public static class RoiEvalReportWriter
{
    public const string JsonName = "roi-eval.json";
    public const string ChartName = "roi-eval-by-size.png";

    /// <returns>The json path and the chart path.</returns>
    public static (string Json, string Chart) Write(RoiEvalReport report, string folder)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(folder);
        string json = Path.Combine(folder, JsonName), chart = Path.Combine(folder, ChartName);
        AtomicFile.WriteAllBytes(json, JsonSerializer.SerializeToUtf8Bytes(report, ScrlJson.Options));
        var bars = report.Scores.BySize.Select(s => ($"{s.Bucket} ({s.Count})", s.Top1))
                         .Append(($"all ({report.Counts.ValRois})", (double?)report.Scores.Top1));
        new BarChart($"RoI top-1 by box size: {Path.GetFileName(report.Backbone)}", bars).SavePng(chart);
        return (json, chart);
    }
}
