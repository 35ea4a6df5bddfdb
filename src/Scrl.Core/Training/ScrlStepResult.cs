namespace Scrl.Core.Training;

/// <summary>The .NET values one training step reports (no tensors leave a step).</summary>
/// <param name="Step">0-based global step.</param>
/// <param name="Loss">Backpropagated total.</param>
/// <param name="RegressionLoss">The self-supervised term: SCRL/BYOL regression in [0, 8], or NT-Xent.</param>
/// <param name="ClassificationLoss">Online classifier cross-entropy; null without a classifier.</param>
/// <param name="LearningRate">Rate the optimizer used.</param>
/// <param name="EmaMomentum">Momentum of the target update that followed; null without a target (contrastive).</param>
public readonly record struct ScrlStepResult(
    long Step, double Loss, double RegressionLoss, double? ClassificationLoss, double LearningRate, double? EmaMomentum);
