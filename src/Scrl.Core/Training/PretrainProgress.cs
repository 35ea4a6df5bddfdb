namespace Scrl.Core.Training;

/// <summary>What a progress display shows after each step; <c>EmaMomentum</c> is null for a learner without a target.</summary>
public readonly record struct PretrainProgress(
    long Step, long TotalSteps, int Epoch, double Loss, double LearningRate, double? EmaMomentum, double PairsPerSecond);
