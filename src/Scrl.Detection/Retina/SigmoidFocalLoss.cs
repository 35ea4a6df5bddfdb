using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scrl.Detection.Retina;

/// <summary>Binary cross entropy down-weighted on easy examples by (1 - p_t)^gamma, classes balanced by alpha.</summary>
/// <remarks>Mirrors torchvision ops/focal_loss.py sigmoid_focal_loss, op for op (Lin et al. 2017).</remarks>
public static class SigmoidFocalLoss
{
    /// <param name="inputs">Logits of any shape.</param>
    /// <param name="targets">0 or 1, the shape of <paramref name="inputs"/>.</param>
    /// <param name="alpha">Weight of the positives (1 - alpha on the negatives); negative to weigh both 1.</param>
    /// <param name="gamma">Focusing exponent.</param>
    /// <returns>The loss per element (reduction "none").</returns>
    public static Tensor Elementwise(Tensor inputs, Tensor targets, double alpha = 0.25, double gamma = 2.0)
    {
        using var scope = NewDisposeScope();
        var p = sigmoid(inputs);
        var ce = F.binary_cross_entropy_with_logits(inputs, targets, reduction: nn.Reduction.None);
        var pT = p * targets + (1 - p) * (1 - targets);
        var loss = ce * (1 - pT).pow(gamma);
        if (alpha >= 0)
        {
            var alphaT = alpha * targets + (1 - alpha) * (1 - targets);
            loss = alphaT * loss;
        }
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>The sum over all elements (reduction "sum"), RetinaNet's per-image reduction.</summary>
    public static Tensor Sum(Tensor inputs, Tensor targets, double alpha = 0.25, double gamma = 2.0)
    {
        using var scope = NewDisposeScope();
        return Elementwise(inputs, targets, alpha, gamma).sum().MoveToOuterDisposeScope();
    }
}
