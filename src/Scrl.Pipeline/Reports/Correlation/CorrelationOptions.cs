namespace Scrl.Pipeline.Reports.Correlation;

/// <summary>Settings of a correlation analysis.</summary>
public sealed record CorrelationOptions
{
    /// <summary>Bootstrap draws for the interval of r (default 10,000).</summary>
    public int Resamples { get; init; } = 10_000;

    /// <summary>Seeds the bootstrap, so the same runs give the same interval (default 0).</summary>
    public int Seed { get; init; }

    /// <summary>Level of the bootstrap interval and of the regression band (default 0.95).</summary>
    public double Confidence { get; init; } = 0.95;
}
