using Scrl.Core.Data.Loading;
using static TorchSharp.torch;

namespace Scrl.Core.Training;

/// <summary>
/// One pretraining batch, built on a loader thread and owned (then disposed) by the training loop.
/// Shapes: B images per view, R box pairs, S input size.
/// </summary>
/// <param name="Views">View 1 then view 2, normalized [2B, 3, S, S].</param>
/// <param name="Rois">Paired boxes [2R, 5] = (batchIdx, x1, y1, x2, y2) in view pixels, view-2 indices offset by B;
/// null for BYOL, or for SCRL when no image of the batch produced a box.</param>
/// <param name="Labels">Class indices [B] (int64) when the source has labels, else null.</param>
/// <param name="Position">Where this batch sits in the data order.</param>
public sealed record TwoViewBatch(Tensor Views, Tensor? Rois, Tensor? Labels, LoaderPosition Position, int ImagesWithBoxes) : IDisposable
{
    public long ImageCount => Views.shape[0] / 2;

    public void Dispose()
    {
        Views.Dispose();
        Rois?.Dispose();
        Labels?.Dispose();
    }
}
