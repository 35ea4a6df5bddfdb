namespace Scrl.Core.Training;

/// <summary>How a pretraining run ended.</summary>
/// <param name="Completed">False when it was cancelled; a checkpoint was written either way.</param>
/// <param name="Step">Global steps done.</param>
/// <param name="LastCheckpoint">Path of the checkpoint that holds the final state.</param>
/// <param name="FinalLoss">Mean loss over the last logging window.</param>
public sealed record PretrainOutcome(bool Completed, long Step, string LastCheckpoint, double FinalLoss, int SkippedBatches);
