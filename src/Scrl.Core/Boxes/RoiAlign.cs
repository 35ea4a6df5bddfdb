using static TorchSharp.torch;

namespace Scrl.Core.Boxes;

// Shapes: N images, C channels, H x W feature map, R RoIs, PH x PW output bins, G samples per bin along one axis.

/// <summary>
/// RoIAlign with exactly the semantics of torchvision's <c>roi_align</c> (csrc/ops/cpu/roi_align_kernel.cpp),
/// which TorchSharp lacks. Differentiable w.r.t. the input; no gradient flows to the RoIs (as in torchvision).
/// </summary>
/// <remarks>
/// Bilinear sampling is separable, and so is torchvision's rule that drops a sample whose y or x lies outside
/// [-1, size]. Each RoI therefore pools with one row-weight matrix Wy [PH, H] and one column-weight matrix
/// Wx [PW, W]: <c>out[r] = Wy[r] @ input[batch[r]] @ Wx[r]^T</c>. The weights are built with tensor ops for all
/// RoIs at once; adaptive grids (<c>samplingRatio &lt;= 0</c>) use the largest grid and mask each RoI's extra samples.
/// Memory: the RoIs' feature maps are gathered, R*C*H*W elements. That suits SCRL's 7x7 C5 maps; large maps
/// with many RoIs use <see cref="WindowedRoiAlign"/>, which gathers only the rows and columns each RoI touches.
/// </remarks>
public static class RoiAlign
{
    /// <param name="input">Feature maps [N, C, H, W].</param>
    /// <param name="rois">[R, 5] = (batchIdx, x1, y1, x2, y2), xyxy in input-image pixels.</param>
    /// <param name="outputHeight">PH, bins per RoI along y.</param>
    /// <param name="outputWidth">PW, bins per RoI along x.</param>
    /// <param name="spatialScale">Feature cells per image pixel (1/stride).</param>
    /// <param name="samplingRatio">Samples per bin along each axis; &lt;= 0 means ceil(roi size / bins), per RoI.</param>
    /// <param name="aligned">True shifts boxes by -0.5 cell (pixel centres); false is the legacy mode that
    /// clamps each RoI to at least 1x1 cell.</param>
    /// <returns>Pooled features [R, C, PH, PW].</returns>
    public static Tensor Apply(Tensor input, Tensor rois, long outputHeight, long outputWidth,
                               double spatialScale, int samplingRatio, bool aligned)
    {
        CheckArguments(input, rois, outputHeight, outputWidth);

        using var scope = NewDisposeScope();
        long roiCount = rois.shape[0], channels = input.shape[1], height = input.shape[2], width = input.shape[3];
        if (roiCount == 0)
            return zeros([0, channels, outputHeight, outputWidth], input.dtype, input.device).MoveToOuterDisposeScope();

        var r = rois.detach().to(input.dtype, input.device);                      // [R, 5]
        var (rowWeights, colWeights) = BinWeights(r, outputHeight, outputWidth, height, width, spatialScale, samplingRatio, aligned);   // [R, PH, H], [R, PW, W]

        var features = input.index_select(0, r[.., 0].to(ScalarType.Int64));       // [R, C, H, W]
        var pooledRows = matmul(rowWeights.unsqueeze(1), features);                // [R, C, PH, W]
        var pooled = matmul(pooledRows, colWeights.transpose(1, 2).unsqueeze(1));  // [R, C, PH, PW]
        return pooled.MoveToOuterDisposeScope();
    }

    /// <summary>Per-RoI bilinear bin weights along y and x, shared with <see cref="WindowedRoiAlign"/>.</summary>
    /// <param name="r">RoIs [R, 5] in the feature dtype and device.</param>
    /// <returns>Row weights [R, PH, H] and column weights [R, PW, W].</returns>
    internal static (Tensor Rows, Tensor Cols) BinWeights(Tensor r, long outputHeight, long outputWidth, long height, long width,
                                                         double spatialScale, int samplingRatio, bool aligned)
    {
        var (x1, y1, binWidth, binHeight) = Bins(r, outputHeight, outputWidth, spatialScale, aligned);
        var gridWidth = samplingRatio > 0 ? full_like(binWidth, samplingRatio) : binWidth.ceil();   // [R]
        var gridHeight = samplingRatio > 0 ? full_like(binHeight, samplingRatio) : binHeight.ceil();
        var rowWeights = AxisWeights(y1, binHeight, gridHeight, MaxGrid(gridHeight, samplingRatio), outputHeight, height);   // [R, PH, H]
        var colWeights = AxisWeights(x1, binWidth, gridWidth, MaxGrid(gridWidth, samplingRatio), outputWidth, width);       // [R, PW, W]
        return (rowWeights, colWeights);
    }

    /// <summary>Each RoI's start and bin size in feature cells, as torchvision's kernel computes them in the input dtype.</summary>
    /// <param name="r">RoIs [R, 5] in the feature dtype and device.</param>
    /// <returns>x1, y1, bin width and bin height, each [R].</returns>
    internal static (Tensor X1, Tensor Y1, Tensor BinWidth, Tensor BinHeight) Bins(Tensor r, long outputHeight, long outputWidth,
                                                                                 double spatialScale, bool aligned)
    {
        double offset = aligned ? 0.5 : 0.0;
        var x1 = r[.., 1] * spatialScale - offset;                                 // [R] feature cells
        var y1 = r[.., 2] * spatialScale - offset;
        var roiWidth = r[.., 3] * spatialScale - offset - x1;                      // [R]
        var roiHeight = r[.., 4] * spatialScale - offset - y1;
        if (!aligned)
        {
            roiWidth = roiWidth.clamp_min(1.0);
            roiHeight = roiHeight.clamp_min(1.0);
        }
        return (x1, y1, roiWidth / outputWidth, roiHeight / outputHeight);
    }

    /// <summary>Length of the sample axis: the fixed ratio, or the largest adaptive grid (one host sync).</summary>
    private static long MaxGrid(Tensor grid, int samplingRatio) =>
        samplingRatio > 0 ? samplingRatio : Math.Max(1L, grid.max().to(ScalarType.Int64).item<long>());

    /// <summary>
    /// Bilinear weights along one axis, averaged over each bin's samples (the 1/G share of torchvision's 1/count).
    /// Computed in the same order and dtype as the C++ kernel so that floor decisions agree exactly.
    /// </summary>
    /// <param name="start">RoI start in feature cells [R].</param>
    /// <param name="bin">Bin size in cells [R].</param>
    /// <param name="grid">Samples per bin [R] (whole numbers, may be 0 for degenerate aligned RoIs).</param>
    /// <param name="maxGrid">G, at least every RoI's grid.</param>
    /// <returns>[R, P, size].</returns>
    private static Tensor AxisWeights(Tensor start, Tensor bin, Tensor grid, long maxGrid, long bins, long size)
    {
        long roiCount = start.shape[0];
        var (dtype, device) = (start.dtype, start.device);

        var sample = (arange(maxGrid, dtype, device) + 0.5).view(1, 1, maxGrid);   // [1, 1, G]
        var cell = arange(bins, dtype, device).view(1, bins, 1);                    // [1, P, 1]
        var b = bin.view(roiCount, 1, 1);                                                           // [R, 1, 1]
        var g = grid.view(roiCount, 1, 1);
        // yy = roi_start + p * bin + (iy + 0.5) * bin / grid, evaluated left to right as in C++.
        var pos = start.view(roiCount, 1, 1) + cell * b + sample * b / g.clamp_min(1.0);            // [R, P, G]

        var used = (sample < g).logical_and(pos >= -1.0).logical_and(pos <= (double)size);         // [R, P, G]
        pos = pos.clamp_min(0.0);
        var low = pos.floor();
        var atEdge = low >= (double)(size - 1);
        low = low.clamp_max((double)(size - 1));
        pos = where(atEdge, low, pos);
        var high = where(atEdge, low, low + 1.0);
        var frac = pos - low;                                                                       // [R, P, G]

        var cells = arange(size, dtype, device).view(1, 1, 1, size);                // [1, 1, 1, L]
        var weights = (1.0 - frac).unsqueeze(-1) * cells.eq(low.unsqueeze(-1))
                    + frac.unsqueeze(-1) * cells.eq(high.unsqueeze(-1));                            // [R, P, G, L]
        weights = weights * used.unsqueeze(-1);
        return weights.sum(2) / g.clamp_min(1.0);                                                   // [R, P, L]
    }

    /// <summary>The argument checks both RoIAlign variants share.</summary>
    internal static void CheckArguments(Tensor input, Tensor rois, long outputHeight, long outputWidth)
    {
        if (input.dim() != 4) throw new ArgumentException($"input must be [N, C, H, W], got [{string.Join(", ", input.shape)}]", nameof(input));
        if (rois.dim() != 2 || rois.shape[1] != 5) throw new ArgumentException($"rois must be [R, 5], got [{string.Join(", ", rois.shape)}]", nameof(rois));
        ArgumentOutOfRangeException.ThrowIfLessThan(outputHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputWidth, 1);
    }
}
