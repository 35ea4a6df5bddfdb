using static TorchSharp.torch;

namespace Scrl.Core.Boxes;

// Shapes: N images, C channels, H x W feature map, R RoIs, PH x PW output bins, WH x WW window (cells any RoI touches).

/// <summary>
/// <see cref="RoiAlign"/> for large maps with many RoIs (FPN P2 with 512 RoIs per image): the same bin weights,
/// but each RoI gathers only a window of the rows and columns its samples touch, R*C*WH*WW elements instead of
/// R*C*H*W. Exact: every cell with a non-zero weight lies inside the window.
/// </summary>
/// <remarks>
/// The window is as large as the largest RoI's footprint (one host sync per axis). FPN level assignment keeps
/// RoIs about the same size in cells on every level (about 7-28 cells for canonical 224 px at level 4).
/// </remarks>
public static class WindowedRoiAlign
{
    /// <inheritdoc cref="RoiAlign.Apply"/>
    public static Tensor Apply(Tensor input, Tensor rois, long outputHeight, long outputWidth,
                               double spatialScale, int samplingRatio, bool aligned)
    {
        RoiAlign.CheckArguments(input, rois, outputHeight, outputWidth);

        using var scope = NewDisposeScope();
        long roiCount = rois.shape[0], channels = input.shape[1], height = input.shape[2], width = input.shape[3];
        if (roiCount == 0)
            return zeros([0, channels, outputHeight, outputWidth], input.dtype, input.device).MoveToOuterDisposeScope();

        var r = rois.detach().to(input.dtype, input.device);                                          // [R, 5]
        var (rowWeights, colWeights) = RoiAlign.BinWeights(r, outputHeight, outputWidth, height, width, spatialScale, samplingRatio, aligned);
        var (rows, rowWindow) = Window(rowWeights);                                                    // [R, WH], [R, PH, WH]
        var (cols, colWindow) = Window(colWeights);                                                    // [R, WW], [R, PW, WW]

        var batch = r[.., 0].to(ScalarType.Int64);                                                     // [R]
        var flatIndex = (batch.view(roiCount, 1, 1) * height + rows.unsqueeze(2)) * width + cols.unsqueeze(1);   // [R, WH, WW]
        var cells = input.permute(0, 2, 3, 1).reshape(-1, channels);                                   // [N*H*W, C]
        var windows = cells.index_select(0, flatIndex.view(-1))
                           .view(roiCount, rows.shape[1], cols.shape[1], channels)
                           .permute(0, 3, 1, 2);                                                       // [R, C, WH, WW]
        var pooledRows = matmul(rowWindow.unsqueeze(1), windows);                                      // [R, C, PH, WW]
        var pooled = matmul(pooledRows, colWindow.transpose(1, 2).unsqueeze(1));                       // [R, C, PH, PW]
        return pooled.MoveToOuterDisposeScope();
    }

    /// <summary>The smallest common-length window covering each RoI's non-zero weights, kept inside the map.</summary>
    /// <param name="weights">[R, P, L].</param>
    /// <returns>Cell indices [R, WL] and the weights restricted to them [R, P, WL].</returns>
    private static (Tensor Cells, Tensor Weights) Window(Tensor weights)
    {
        long roiCount = weights.shape[0], bins = weights.shape[1], length = weights.shape[2];
        var touched = weights.ne(0).any(1);                                                           // [R, L]
        var position = arange(length, ScalarType.Int64, weights.device).unsqueeze(0);                 // [1, L]
        var first = where(touched, position, length).amin(1);                                          // [R]; L when untouched
        var last = where(touched, position, -1L).amax(1);                                              // [R]; -1 when untouched
        long span = Math.Max(1L, (last - first + 1).max().item<long>());                               // WL
        var start = first.clamp_max(length - span);                                                    // [R], window stays in [0, L)
        var cells = start.unsqueeze(1) + arange(span, ScalarType.Int64, weights.device);              // [R, WL]
        var windowWeights = weights.gather(2, cells.unsqueeze(1).expand(roiCount, bins, span));        // [R, P, WL]
        return (cells, windowWeights);
    }
}
