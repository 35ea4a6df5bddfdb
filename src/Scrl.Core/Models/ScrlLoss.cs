using static TorchSharp.torch;

namespace Scrl.Core.Models;

/// <summary>The BYOL/SCRL regression loss between online predictions and target projections.</summary>
/// <remarks>Mirrors kakaobrain/scrl trainer/base.py _regression_loss and _criterion. Shapes: R pairs, D projection size.</remarks>
public static class ScrlLoss
{
    /// <summary>2 - 2 cos(x, y) per row, with F.normalize's eps 1e-12.</summary>
    /// <param name="x">[R, D].</param>
    /// <param name="y">[R, D].</param>
    /// <returns>[R], in [0, 4].</returns>
    public static Tensor Regression(Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        var xn = nn.functional.normalize(x, p: 2, dim: 1, eps: 1e-12);          // [R, D]
        var yn = nn.functional.normalize(y, p: 2, dim: 1, eps: 1e-12);          // [R, D]
        return (2 - 2 * (xn * yn).sum(1)).MoveToOuterDisposeScope();
    }

    /// <summary>Mean over pairs of l(q1, z2) + l(q2, z1): both directions summed, so the range is [0, 8].</summary>
    /// <param name="predictions">Online predictions [2R, D]: view-1 rows, then the paired view-2 rows.</param>
    /// <param name="targets">Target projections [2R, D], rows aligned with <paramref name="predictions"/>.</param>
    /// <returns>Scalar loss.</returns>
    public static Tensor Symmetric(Tensor predictions, Tensor targets)
    {
        if (predictions.dim() != 2 || !predictions.shape.SequenceEqual(targets.shape) || predictions.shape[0] % 2 != 0)
            throw new ArgumentException($"Expected two equal [2R, D] tensors, got [{string.Join(", ", predictions.shape)}] " +
                                        $"and [{string.Join(", ", targets.shape)}].", nameof(predictions));
        using var scope = NewDisposeScope();
        var q = predictions.chunk(2);                                            // 2 x [R, D]
        var z = targets.chunk(2);                                                // 2 x [R, D]
        return (Regression(q[0], z[1]) + Regression(q[1], z[0])).mean().MoveToOuterDisposeScope();
    }
}
