namespace Scrl.Pipeline.Reports.Correlation;

/// <summary>One run's flat metrics (<c>{stage}.{metric}</c>), whichever way they were collected.</summary>
/// <param name="RunId">The run id, or the run folder's name.</param>
public sealed record RunScores(string RunId, IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>Downstream AP metrics: <c>{stage}.AP</c> of every fine-tuning stage (<c>finetune-*</c>), sorted.</summary>
    public IEnumerable<string> DownstreamMetrics() =>
        Metrics.Keys.Where(IsDownstream).Order(StringComparer.Ordinal);

    public static bool IsDownstream(string metric) =>
        metric.StartsWith("finetune", StringComparison.Ordinal) && metric.EndsWith(".AP", StringComparison.Ordinal);
}
