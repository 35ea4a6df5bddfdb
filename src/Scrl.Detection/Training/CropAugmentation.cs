using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scrl.Detection.Training;

// Shapes: one image [3, H, W] in [0, 1]; G boxes xyxy px.

/// <summary>
/// The crop augmentation of DETR and of Sparse R-CNN's "*" setting (their dataset mapper with INPUT.CROP enabled):
/// the shorter side resized to 400, 500 or 600 (the longer at most 1333), then a window of 384..600 px per side cut
/// at a random place. Boxes keep their part inside the window; boxes left empty are dropped.
/// </summary>
/// <remarks>detectron2's ResizeShortestEdge([400, 500, 600], 1333, "choice"), RandomCrop("absolute_range", (384, 600)) and filter_empty_instances.</remarks>
public static class CropAugmentation
{
    private static readonly int[] ShorterSides = [400, 500, 600];
    private const int MaxSize = 1333, MinCrop = 384, MaxCrop = 600;

    /// <summary>Crops <paramref name="image"/> and its boxes with draws from <paramref name="generator"/>.</summary>
    /// <exception cref="ArgumentException">The target has masks or keypoints, which this crop does not carry.</exception>
    public static (Tensor Image, DetectionTarget Target) Apply(Tensor image, DetectionTarget target, Generator generator)
    {
        if (target.Masks is not null || target.Keypoints is not null)
            throw new ArgumentException("the crop augmentation cuts boxes only; masks and keypoints are not carried", nameof(target));
        using var scope = NewDisposeScope();
        long height = image.shape[1], width = image.shape[2];
        int side = ShorterSides[Draw(ShorterSides.Length, generator)];
        double scale = (double)side / Math.Min(height, width);
        if (Math.Max(height, width) * scale > MaxSize) scale = (double)MaxSize / Math.Max(height, width);
        long newHeight = (long)(height * scale + 0.5), newWidth = (long)(width * scale + 0.5);
        var resized = F.interpolate(image.unsqueeze(0), [newHeight, newWidth], mode: InterpolationMode.Bilinear, align_corners: false)[0];

        long cropHeight = Math.Min(newHeight, MinCrop) + Draw((int)(Math.Min(newHeight, MaxCrop) - Math.Min(newHeight, MinCrop) + 1), generator);
        long cropWidth = Math.Min(newWidth, MinCrop) + Draw((int)(Math.Min(newWidth, MaxCrop) - Math.Min(newWidth, MinCrop) + 1), generator);
        long top = Draw((int)(newHeight - cropHeight + 1), generator), left = Draw((int)(newWidth - cropWidth + 1), generator);
        var cropped = resized.narrow(1, top, cropHeight).narrow(2, left, cropWidth).contiguous();

        var factors = tensor(new[] { (float)newWidth / width, (float)newHeight / height, (float)newWidth / width, (float)newHeight / height }, device: target.Boxes.device);
        var offset = tensor(new float[] { left, top, left, top }, device: target.Boxes.device);
        var boxes = Scrl.Core.Boxes.BoxOps.Clip(target.Boxes * factors - offset, cropHeight, cropWidth);
        var keep = nonzero((boxes[.., 2] - boxes[.., 0] > 1e-5).logical_and(boxes[.., 3] - boxes[.., 1] > 1e-5)).view(-1);
        var kept = new DetectionTarget(boxes.index_select(0, keep).MoveToOuterDisposeScope(), target.Labels.index_select(0, keep).MoveToOuterDisposeScope());
        return (cropped.MoveToOuterDisposeScope(), kept);
    }

    private static int Draw(int count, Generator generator) => (int)randint(0, count, [1], generator: generator).item<long>();
}
