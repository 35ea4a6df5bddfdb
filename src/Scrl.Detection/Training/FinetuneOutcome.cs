using Scrl.Detection.Evaluation;

namespace Scrl.Detection.Training;

/// <summary>Where a fine-tuning run ended: the step reached, its checkpoint, and the val scores once evaluated.</summary>
/// <param name="ResumedFrom">The step the run continued from (0 for a fresh run).</param>
public sealed record FinetuneOutcome(string Detector, long ResumedFrom, long Step, string Checkpoint, DetectionScores? Scores = null);
