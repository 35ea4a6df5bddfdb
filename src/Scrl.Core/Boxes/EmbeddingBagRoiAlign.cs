using static TorchSharp.torch;

namespace Scrl.Core.Boxes;

// Shapes: N images, C channels, L levels of H_l x W_l, M = sum_l N*H_l*W_l map cells, R RoIs,
// PH x PW output bins, G samples per bin along one axis.

/// <summary>
/// <see cref="RoiAlign"/> for a fixed sampling ratio (FPN heads: 7x7 bins, 2x2 samples), as a sparse weighted sum:
/// every output bin is a bag of G*G*4 (map cell, bilinear weight) pairs, which <c>embedding_bag</c> sums over the
/// maps' cells viewed as rows [M, C]. Like torchvision's kernel, time and memory grow with R*C*PH*PW*G^2 and not
/// with the RoIs' extent, and the backward pass is a scatter-add. Several FPN levels pool in one call.
/// </summary>
/// <remarks>
/// Sample positions, the drop rule (outside [-1, size] along either axis counts as zero) and the edge clamp follow
/// csrc/ops/cpu/roi_align_kernel.cpp in the maps' dtype, so results agree with it up to float rounding of the sums.
/// </remarks>
public static class EmbeddingBagRoiAlign
{
    /// <inheritdoc cref="RoiAlign.Apply"/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samplingRatio"/> is not positive (adaptive
    /// grids differ per RoI; use <see cref="RoiAlign"/> or <see cref="WindowedRoiAlign"/>).</exception>
    public static Tensor Apply(Tensor input, Tensor rois, long outputHeight, long outputWidth,
                               double spatialScale, int samplingRatio, bool aligned)
    {
        RoiAlign.CheckArguments(input, rois, outputHeight, outputWidth);
        using var scope = NewDisposeScope();
        var level = zeros(rois.shape[0], ScalarType.Int64, input.device);                          // [R], all on the one map
        return Apply([input], rois, level, [spatialScale], outputHeight, outputWidth, samplingRatio, aligned).MoveToOuterDisposeScope();
    }

    /// <summary>Pools each RoI from its own level of several maps (FPN), in one pass.</summary>
    /// <param name="levels">Maps [N, C, H_l, W_l], the same N and C on every level.</param>
    /// <param name="rois">[R, 5] = (batchIdx, x1, y1, x2, y2), xyxy in input-image pixels.</param>
    /// <param name="levelOfRoi">[R] integer index into <paramref name="levels"/>.</param>
    /// <param name="spatialScales">Feature cells per image pixel of each level.</param>
    /// <returns>Pooled features [R, C, PH, PW], RoIs in input order.</returns>
    public static Tensor Apply(IReadOnlyList<Tensor> levels, Tensor rois, Tensor levelOfRoi, IReadOnlyList<double> spatialScales,
                               long outputHeight, long outputWidth, int samplingRatio, bool aligned)
    {
        using var scope = NewDisposeScope();
        return Apply(PoolingTable.Of(levels), rois, levelOfRoi, spatialScales, outputHeight, outputWidth, samplingRatio, aligned).MoveToOuterDisposeScope();
    }

    /// <summary>Pools each RoI from its own level of maps already laid out as rows (the same maps pooled again).</summary>
    /// <inheritdoc cref="Apply(IReadOnlyList{Tensor}, Tensor, Tensor, IReadOnlyList{double}, long, long, int, bool)"/>
    public static Tensor Apply(PoolingTable table, Tensor rois, Tensor levelOfRoi, IReadOnlyList<double> spatialScales,
                               long outputHeight, long outputWidth, int samplingRatio, bool aligned)
    {
        var levels = table.Levels;
        if (levels.Count != spatialScales.Count)
            throw new ArgumentException($"need one spatial scale per level, got {levels.Count} levels and {spatialScales.Count} scales", nameof(spatialScales));
        foreach (var map in levels) RoiAlign.CheckArguments(map, rois, outputHeight, outputWidth);
        if (levels.Any(m => m.shape[0] != levels[0].shape[0] || m.shape[1] != levels[0].shape[1]))
            throw new ArgumentException($"levels must share N and C, got {string.Join(", ", levels.Select(m => $"[{string.Join(", ", m.shape)}]"))}", nameof(levels));
        if (levelOfRoi.dim() != 1 || levelOfRoi.shape[0] != rois.shape[0])
            throw new ArgumentException($"levelOfRoi must be [{rois.shape[0]}], got [{string.Join(", ", levelOfRoi.shape)}]", nameof(levelOfRoi));
        ArgumentOutOfRangeException.ThrowIfLessThan(samplingRatio, 1);

        using var scope = NewDisposeScope();
        var (dtype, device) = (levels[0].dtype, levels[0].device);
        long roiCount = rois.shape[0], images = levels[0].shape[0], channels = levels[0].shape[1];
        if (roiCount == 0)
            return zeros([0, channels, outputHeight, outputWidth], dtype, device).MoveToOuterDisposeScope();

        var level = levelOfRoi.to(ScalarType.Int64, device);                                         // [R]
        var height = PerLevel(levels.Select(m => (double)m.shape[2]), level, dtype);                  // [R] H_l of each RoI
        var width = PerLevel(levels.Select(m => (double)m.shape[3]), level, dtype);
        var scale = PerLevel(spatialScales, level, dtype);
        long cellCount = 0;
        var firstCell = PerLevel(levels.Select(m => { long first = cellCount; cellCount += m.numel() / channels; return (double)first; }), level, ScalarType.Int64);

        var r = rois.detach().to(dtype, device);                                                     // [R, 5]
        var scaled = cat([r.narrow(1, 0, 1), r.narrow(1, 1, 4) * scale.unsqueeze(1)], 1);          // [R, 5], boxes in cells
        var (x1, y1, binWidth, binHeight) = RoiAlign.Bins(scaled, outputHeight, outputWidth, 1.0, aligned);
        var (rows, rowWeights) = Axis(y1, binHeight, outputHeight, samplingRatio, height);          // [R, PH, G, 2]
        var (cols, colWeights) = Axis(x1, binWidth, outputWidth, samplingRatio, width);             // [R, PW, G, 2]

        long g = samplingRatio, ph = outputHeight, pw = outputWidth;
        var imageFirstCell = firstCell + r[.., 0].to(ScalarType.Int64) * (height * width).to(ScalarType.Int64);   // [R]
        var cells = imageFirstCell.view(roiCount, 1, 1, 1, 1, 1, 1)
                    + rows.view(roiCount, ph, 1, g, 1, 2, 1) * width.to(ScalarType.Int64).view(roiCount, 1, 1, 1, 1, 1, 1)
                    + cols.view(roiCount, 1, pw, 1, g, 1, 2);                                        // [R, PH, PW, G, G, 2, 2]
        var weights = rowWeights.view(roiCount, ph, 1, g, 1, 2, 1) * colWeights.view(roiCount, 1, pw, 1, g, 1, 2);

        var rowsOfCells = table.Rows;                                                                  // [M, C]
        using var bags = nn.EmbeddingBag_from_pretrained(rowsOfCells, freeze: !rowsOfCells.requires_grad, mode: TorchSharp.EmbeddingBagMode.Sum);
        var pooled = bags.call(cells.view(roiCount * ph * pw, -1), null, weights.view(roiCount * ph * pw, -1));   // [R*PH*PW, C]
        return pooled.view(roiCount, ph, pw, channels).permute(0, 3, 1, 2).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>One value per level, looked up for each RoI.</summary>
    /// <returns>[R].</returns>
    private static Tensor PerLevel(IEnumerable<double> values, Tensor level, ScalarType dtype) =>
        tensor(values.ToArray(), dtype, level.device).index_select(0, level);

    /// <summary>
    /// The two cells each sample interpolates along one axis and their weights: bilinear, times 1/G for the bin
    /// average, zero for a sample the kernel drops. Positions are computed in the kernel's order and dtype.
    /// </summary>
    /// <param name="start">RoI start in cells [R].</param>
    /// <param name="bin">Bin size in cells [R].</param>
    /// <param name="size">Map size along the axis [R].</param>
    /// <returns>Cells [R, P, G, 2] int64 (low, high) and weights [R, P, G, 2].</returns>
    private static (Tensor Cells, Tensor Weights) Axis(Tensor start, Tensor bin, long bins, long grid, Tensor size)
    {
        long roiCount = start.shape[0];
        var cell = arange(bins, start.dtype, start.device).view(1, bins, 1);                        // [1, P, 1]
        var sample = (arange(grid, start.dtype, start.device) + 0.5).view(1, 1, grid);              // [1, 1, G]
        var b = bin.view(roiCount, 1, 1);
        var last = (size - 1).view(roiCount, 1, 1);
        // yy = roi_start + p * bin + (iy + 0.5) * bin / grid, evaluated left to right as in C++.
        var pos = start.view(roiCount, 1, 1) + cell * b + sample * b / grid;                        // [R, P, G]
        var kept = pos.ge(-1.0).logical_and(pos.le(size.view(roiCount, 1, 1)));
        pos = minimum(pos.clamp_min(0.0), last);
        var low = pos.floor();
        var high = minimum(low + 1, last);
        var frac = pos - low;
        var weights = stack([1 - frac, frac], -1) * (kept.to(start.dtype) / grid).unsqueeze(-1);   // [R, P, G, 2]
        return (stack([low, high], -1).to(ScalarType.Int64), weights);
    }
}
