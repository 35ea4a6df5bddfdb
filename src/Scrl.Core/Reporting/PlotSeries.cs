namespace Scrl.Core.Reporting;

/// <summary>One line of a <see cref="LinePlot"/>; a non-finite Y (or a non-positive one on a log axis) breaks the line.</summary>
public sealed record PlotSeries(string Label, IReadOnlyList<(double X, double Y)> Points)
{
    /// <summary>A metric's points with the step as X.</summary>
    public static PlotSeries FromMetric(string label, IReadOnlyList<MetricPoint> points) =>
        new(label, [.. points.Select(p => ((double)p.Step, p.Value))]);
}
