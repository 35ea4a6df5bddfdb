namespace Scrl.Core.Reporting;

/// <summary>One logged value of a scalar; <see cref="Value"/> may be NaN or infinite (a diverged loss is worth seeing).</summary>
public readonly record struct MetricPoint(long Step, double Value);
