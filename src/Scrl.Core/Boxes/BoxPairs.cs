using static TorchSharp.torch;

namespace Scrl.Core.Boxes;

/// <summary>
/// Spatially matched RoIs for a two-view batch of B images: row i of <see cref="Rois1"/> and of
/// <see cref="Rois2"/> show the same region of the same original image.
/// </summary>
/// <param name="Rois1">[R, 5] float32 = (b, x1, y1, x2, y2), xyxy in view-1 input px, b in [0, B).</param>
/// <param name="Rois2">[R, 5] float32 = (b + B, x1, y1, x2, y2), xyxy in view-2 input px: the batch index
/// addresses the view-2 half of the concatenated [2B, ...] batch.</param>
/// <param name="BoxesPerImage">[B] rows per image: K, or 0 when the views barely overlap.</param>
/// <param name="IsFallback">[R] true where every attempt failed the IoU test and the last candidate was kept.</param>
public sealed record BoxPairs(Tensor Rois1, Tensor Rois2, int[] BoxesPerImage, bool[] IsFallback)
{
    /// <summary>Boxes kept although they overlap an earlier box of their image at IoU &gt;= the threshold.</summary>
    public int FallbackCount => IsFallback.Count(f => f);
}
