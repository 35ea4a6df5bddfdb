namespace Scrl.Pipeline.Reports.Correlation;

/// <summary>One run under one protocol: its top-1 (a fraction) and its downstream AP (as the evaluator reports it).</summary>
public sealed record ProtocolPoint(string RunId, double Top1, double DownstreamAp);
