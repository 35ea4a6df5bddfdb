namespace Scrl.Pipeline.Reports.Correlation;

/// <summary>A bootstrap confidence interval of r.</summary>
/// <param name="Degenerate">Draws left out because one side had no spread.</param>
public sealed record BootstrapInterval(double Low, double High, double Confidence, int Resamples, int Degenerate, int Seed);
