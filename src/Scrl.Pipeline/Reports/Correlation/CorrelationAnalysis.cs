namespace Scrl.Pipeline.Reports.Correlation;

/// <summary>
/// Protocol top-1 against downstream AP over a set of runs, one <see cref="ProtocolCorrelation"/> per protocol that
/// enough runs have (SCRL Figure A1). Written as correlation.json, correlation.png and a Markdown table.
/// </summary>
/// <param name="Downstream">The AP metric on the y axis, e.g. <c>finetune-faster-rcnn-coco-det-1x.AP</c>.</param>
/// <param name="Notes">Protocols left out and why (too few runs with both numbers).</param>
public sealed record CorrelationAnalysis(string Downstream, IReadOnlyList<ProtocolCorrelation> Protocols, IReadOnlyList<string> Notes)
{
    /// <summary>
    /// Pairs each run's protocol top-1 with its <paramref name="downstream"/> AP. With no <paramref name="downstream"/>,
    /// the runs' one fine-tuning AP is used; several are an error that lists them.
    /// </summary>
    /// <exception cref="ArgumentException">No usable downstream metric, or no protocol with enough runs.</exception>
    public static CorrelationAnalysis Build(IReadOnlyList<RunScores> runs, string? downstream, CorrelationOptions options)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(options);
        string metric = downstream ?? SingleDownstream(runs);
        if (!runs.Any(r => r.Metrics.ContainsKey(metric)))
            throw new ArgumentException($"no run has the downstream metric '{metric}'; {Available(runs)}");

        var protocols = new List<ProtocolCorrelation>();
        var notes = new List<string>();
        foreach (var protocol in EvaluationProtocol.All)
        {
            var points = runs
                .Where(r => r.Metrics.TryGetValue(protocol.Metric, out double x) && double.IsFinite(x)
                            && r.Metrics.TryGetValue(metric, out double y) && double.IsFinite(y))
                .Select(r => new ProtocolPoint(r.RunId, r.Metrics[protocol.Metric], r.Metrics[metric]))
                .ToList();
            if (points.Count >= LinearFit.MinimumPoints) protocols.Add(ProtocolCorrelation.Of(protocol, points, options));
            else notes.Add($"{protocol.Name}: {points.Count} of {runs.Count} runs have both {protocol.Metric} and {metric}; at least {LinearFit.MinimumPoints} are needed");
        }
        if (protocols.Count == 0) throw new ArgumentException($"no protocol has enough runs: {string.Join("; ", notes)}");
        return new CorrelationAnalysis(metric, protocols, notes);
    }

    /// <summary>
    /// The analysis when the runs support one, else null: for a sweep's leaderboard, which shows it only when the runs
    /// have both a protocol and a fine-tuning stage. <paramref name="preferred"/> (the sweep's objective) picks among
    /// several downstream APs when it is one of them, else the first in name order is used.
    /// </summary>
    public static CorrelationAnalysis? TryBuild(IReadOnlyList<RunScores> runs, string? preferred, CorrelationOptions options)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var downstream = runs.SelectMany(r => r.DownstreamMetrics()).Distinct().Order(StringComparer.Ordinal).ToList();
        if (downstream.Count == 0) return null;
        string metric = preferred is not null && downstream.Contains(preferred) ? preferred : downstream[0];
        bool enough = EvaluationProtocol.All.Any(p => runs.Count(r => r.Metrics.ContainsKey(p.Metric) && r.Metrics.ContainsKey(metric))
                                                      >= LinearFit.MinimumPoints);
        return enough ? Build(runs, metric, options) : null;
    }

    private static string SingleDownstream(IReadOnlyList<RunScores> runs)
    {
        var found = runs.SelectMany(r => r.DownstreamMetrics()).Distinct().Order(StringComparer.Ordinal).ToList();
        return found.Count switch
        {
            1 => found[0],
            0 => throw new ArgumentException($"no run has a fine-tuning AP (finetune-*.AP); {Available(runs)}"),
            _ => throw new ArgumentException($"the runs have several fine-tuning APs; pick one with --downstream: {string.Join(", ", found)}"),
        };
    }

    private static string Available(IReadOnlyList<RunScores> runs)
    {
        var names = runs.SelectMany(r => r.Metrics.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        return names.Count == 0 ? "the runs report no metrics" : $"metrics found: {string.Join(", ", names)}";
    }
}
