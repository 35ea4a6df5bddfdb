using System.Text.Json;
using Scrl.Core.Configuration;
using Scrl.Core.IO;
using Scrl.Core.Reporting;

namespace Scrl.Core.Evaluation;

/// <summary>Writes a report as <c>roi-eval.json</c> and <c>roi-eval-by-size.png</c> (top-1 per COCO size bucket, and overall);
/// an Image-variant report as <c>linear-eval.json</c> and <c>linear-eval-by-size.png</c>.</summary>
public static class RoiEvalReportWriter
{
    public const string JsonName = "roi-eval.json";
    public const string ChartName = "roi-eval-by-size.png";

    /// <summary>The names the image-level linear protocol (<c>scrl linear-eval</c>) writes under.</summary>
    public const string LinearJsonName = "linear-eval.json", LinearChartName = "linear-eval-by-size.png";

    /// <returns>The json path and the chart path.</returns>
    public static (string Json, string Chart) Write(RoiEvalReport report, string folder)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(folder);
        bool image = report.Variant == RoiEvalVariant.Image;
        string json = Path.Combine(folder, image ? LinearJsonName : JsonName), chart = Path.Combine(folder, image ? LinearChartName : ChartName);
        AtomicFile.WriteAllBytes(json, JsonSerializer.SerializeToUtf8Bytes(report, ScrlJson.Options));
        var bars = report.Scores.BySize.Select(s => ($"{s.Bucket} ({s.Count})", s.Top1))
                         .Append(($"all ({report.Counts.ValRois})", (double?)report.Scores.Top1));
        new BarChart($"{(image ? "Image" : "RoI")} top-1 by {(image ? "image" : "box")} size: {Path.GetFileName(report.Backbone)}", bars).SavePng(chart);
        return (json, chart);
    }
}
