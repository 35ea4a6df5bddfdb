namespace Scrl.Pipeline.Reports.Correlation;

/// <summary>How well one protocol's top-1 tracks downstream AP over a set of runs (one series of Figure A1).</summary>
/// <param name="PearsonR">r of (top-1, AP); null when either has no spread (r undefined).</param>
/// <param name="Interval">Percentile-bootstrap interval of r; null when r is.</param>
/// <param name="Fit">AP regressed on top-1, with its confidence band; null when every top-1 is the same.</param>
public sealed record ProtocolCorrelation(
    EvaluationProtocol Protocol,
    IReadOnlyList<ProtocolPoint> Points,
    double? PearsonR,
    BootstrapInterval? Interval,
    LinearFit? Fit)
{
    /// <exception cref="ArgumentException">Fewer than <see cref="LinearFit.MinimumPoints"/> points.</exception>
    public static ProtocolCorrelation Of(EvaluationProtocol protocol, IReadOnlyList<ProtocolPoint> points, CorrelationOptions options)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(options);
        double[] x = [.. points.Select(p => p.Top1)], y = [.. points.Select(p => p.DownstreamAp)];
        if (x.Length < LinearFit.MinimumPoints)
            throw new ArgumentException($"{protocol.Name}: {x.Length} runs have both {protocol.Metric} and downstream AP; a correlation needs at least {LinearFit.MinimumPoints}");
        double r = PearsonCorrelation.R(x, y);
        var interval = double.IsFinite(r) ? PearsonCorrelation.Bootstrap(x, y, options.Resamples, options.Seed, options.Confidence) : null;
        var fit = x.Distinct().Count() > 1 ? LinearFit.Of(x, y, options.Confidence) : null;
        return new ProtocolCorrelation(protocol, points, double.IsFinite(r) ? r : null, interval, fit);
    }
}
