namespace Scrl.Core.Training;

/// <summary>How a pretraining run ended.</summary>
/// <param name="Completed">False when it was cancelled; a checkpoint was written either way.</param>
/// <param name="Step">Global steps done.</param>
/// <param name="LastCheckpoint">Path of the checkpoint that holds the final state.</param>
/// <param name="FinalLoss">Mean loss over the last logging window, or that of the checkpoint the run resumed from when
/// it took no step; null when no finite loss is known (no step yet, or the loss diverged: metrics.jsonl keeps it).</param>
public sealed record PretrainOutcome(bool Completed, long Step, string LastCheckpoint, double? FinalLoss, int SkippedBatches);
