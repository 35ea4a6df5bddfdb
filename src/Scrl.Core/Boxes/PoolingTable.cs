using static TorchSharp.torch;

namespace Scrl.Core.Boxes;

// Shapes: N images, C channels, L levels of H_l x W_l, M = sum_l N*H_l*W_l map cells.

/// <summary>
/// Feature maps laid out as the rows <see cref="EmbeddingBagRoiAlign"/> gathers from: every cell of every level, one
/// [C] row each. Building it copies the maps once; a head that pools the same maps several times (Sparse R-CNN's
/// stages) builds it once, so the copy and its backward are paid once too.
/// </summary>
public sealed class PoolingTable
{
    private PoolingTable(IReadOnlyList<Tensor> levels, Tensor rows)
    {
        Levels = levels;
        Rows = rows;
    }

    /// <summary>The maps as given, [N, C, H_l, W_l].</summary>
    public IReadOnlyList<Tensor> Levels { get; }

    /// <summary>[M, C]: level by level, image-major, row-major cells.</summary>
    public Tensor Rows { get; }

    /// <param name="levels">Maps [N, C, H_l, W_l], the same N and C on every level.</param>
    /// <exception cref="ArgumentException">No level, or levels of different N or C.</exception>
    public static PoolingTable Of(IReadOnlyList<Tensor> levels)
    {
        if (levels.Count == 0) throw new ArgumentException("need at least one level", nameof(levels));
        if (levels.Any(m => m.dim() != 4 || m.shape[0] != levels[0].shape[0] || m.shape[1] != levels[0].shape[1]))
            throw new ArgumentException($"levels must be [N, C, H, W] sharing N and C, got {string.Join(", ", levels.Select(m => $"[{string.Join(", ", m.shape)}]"))}", nameof(levels));
        long channels = levels[0].shape[1];
        return new PoolingTable(levels, cat(levels.Select(m => m.permute(0, 2, 3, 1).reshape(-1, channels)).ToList(), 0));
    }
}
