using Scrl.Core.Training;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scrl.Detection.Transform;

// Shapes: N images, G boxes of one image, D detections of one image. Boxes xyxy px.

/// <summary>Normalises, resizes and batches images (and their boxes); maps detections back to the original sizes.</summary>
/// <remarks>
/// Mirrors torchvision models/detection/transform.py GeneralizedRCNNTransform, including its resize arithmetic:
/// scale = min(min_size / shortest, max_size / longest) in float32 (as reciprocal times size), output = floor(side * scale), bilinear with
/// align_corners=False (recompute_scale_factor=True), and box ratios computed in float32.
/// </remarks>
public sealed class GeneralizedRcnnTransform
{
    /// <param name="timer">Benchmarks only: charges mask pasting to <see cref="DetectionPhases.MaskPaste"/>.</param>
    public GeneralizedRcnnTransform(TransformOptions options, PhaseTimer? timer = null)
    {
        Timer = timer;
        ArgumentNullException.ThrowIfNull(options);
        if (options.MinSize.Count == 0) throw new ArgumentException("MinSize needs at least one size.", nameof(options));
        Options = options;
    }

    public TransformOptions Options { get; }

    public PhaseTimer? Timer { get; }

    /// <param name="images">Each [3, H_i, W_i] float in [0, 1].</param>
    /// <param name="targets">Optional ground truth, boxes in each image's pixels; returned resized.</param>
    /// <param name="generator">Draws the shortest side in training when several are configured; null uses the last (testing).</param>
    public (ImageList Images, IReadOnlyList<DetectionTarget>? Targets) Apply(
        IReadOnlyList<Tensor> images, IReadOnlyList<DetectionTarget>? targets, Generator? generator)
    {
        if (targets is not null && targets.Count != images.Count)
            throw new ArgumentException($"{images.Count} images but {targets.Count} targets.", nameof(targets));
        using var scope = NewDisposeScope();
        var resized = new List<Tensor>(images.Count);
        var resizedTargets = targets is null ? null : new List<DetectionTarget>(images.Count);
        for (int i = 0; i < images.Count; i++)
        {
            var image = images[i];
            if (image.dim() != 3 || image.shape[0] != 3)
                throw new ArgumentException($"images[{i}] must be [3, H, W], got [{string.Join(", ", image.shape)}].", nameof(images));
            int minSize = generator is null
                ? Options.MinSize[^1]
                : Options.MinSize[(int)randint(0, Options.MinSize.Count, [1], generator: generator).item<long>()];
            var output = Resize(Normalize(image), minSize);                                    // [3, H', W']
            resized.Add(output);
            if (resizedTargets is not null)
            {
                var t = targets![i];
                (long, long) from = (image.shape[1], image.shape[2]), to = (output.shape[1], output.shape[2]);
                resizedTargets.Add(new DetectionTarget(
                    ResizeBoxes(t.Boxes, from, to).MoveToOuterDisposeScope(), t.Labels,
                    t.Masks is null ? null : ResizeMasks(t.Masks, to).MoveToOuterDisposeScope(),
                    t.Keypoints is null ? null : ResizeKeypoints(t.Keypoints, from, to).MoveToOuterDisposeScope()));
            }
        }
        var batch = Batch(resized).MoveToOuterDisposeScope();
        var sizes = resized.Select(r => (r.shape[1], r.shape[2])).ToList();
        return (new ImageList(batch, sizes), resizedTargets);
    }

    /// <summary>Maps each image's detections from resized-image pixels back to its original pixels, out of the caller's scope.</summary>
    /// <remarks>Masks [D, 1, M, M] are pasted into the original image as [D, 1, H, W] probabilities (<see cref="MaskPaster"/>).</remarks>
    /// <param name="detections">Per image, boxes in the resized image.</param>
    /// <param name="resizedSizes">(height, width) of each resized image.</param>
    /// <param name="originals">The images as given, [3, H_i, W_i].</param>
    public static IReadOnlyList<Detections> ToOriginalSizes(IReadOnlyList<Detections> detections, IReadOnlyList<(long Height, long Width)> resizedSizes,
                                                            IReadOnlyList<Tensor> originals, PhaseTimer? timer = null)
    {
        var result = new List<Detections>(detections.Count);
        for (int i = 0; i < detections.Count; i++)
        {
            var d = detections[i];
            (long, long) original = (originals[i].shape[1], originals[i].shape[2]);
            var boxes = ResizeBoxes(d.Boxes, resizedSizes[i], original);
            var keypoints = d.Keypoints is null ? null : ResizeKeypoints(d.Keypoints, resizedSizes[i], original);
            Tensor? masks = null;
            if (d.Masks is not null)
                using (timer?.Measure(DetectionPhases.MaskPaste))
                    masks = MaskPaster.Paste(d.Masks, boxes, original);
            result.Add(new Detections(boxes.MoveToOuterDisposeScope(), d.Scores.MoveToOuterDisposeScope(), d.Labels.MoveToOuterDisposeScope(),
                masks?.MoveToOuterDisposeScope(), keypoints?.MoveToOuterDisposeScope(), d.KeypointScores?.MoveToOuterDisposeScope()));
        }
        return result;
    }

    /// <summary>(image - mean) / std per channel.</summary>
    private Tensor Normalize(Tensor image)
    {
        var mean = tensor(Options.ImageMean.ToArray(), image.dtype, image.device).view(-1, 1, 1);   // [3, 1, 1]
        var std = tensor(Options.ImageStd.ToArray(), image.dtype, image.device).view(-1, 1, 1);
        return (image - mean) / std;
    }

    /// <returns>[3, H', W'].</returns>
    private Tensor Resize(Tensor image, int minSize)
    {
        long height = image.shape[1], width = image.shape[2];
        // torch evaluates `size / tensor` as reciprocal(tensor) * size, in float32.
        float scale = MathF.Min(1f / Math.Min(height, width) * minSize, 1f / Math.Max(height, width) * Options.MaxSize);
        long outHeight = (long)Math.Floor(height * (double)scale);
        long outWidth = (long)Math.Floor(width * (double)scale);
        return F.interpolate(image.unsqueeze(0), size: [outHeight, outWidth], mode: InterpolationMode.Bilinear, align_corners: false)[0];
    }

    /// <summary>Scales xyxy boxes by float32 (new / old) ratios, as torchvision's resize_boxes.</summary>
    private static Tensor ResizeBoxes(Tensor boxes, (long Height, long Width) from, (long Height, long Width) to)
    {
        float ratioHeight = to.Height / (float)from.Height;
        float ratioWidth = to.Width / (float)from.Width;
        var ratios = tensor(new[] { ratioWidth, ratioHeight, ratioWidth, ratioHeight }, boxes.dtype, boxes.device);   // [4]
        return boxes * ratios;
    }

    /// <summary>Nearest-neighbour resize of [G, H, W] uint8 masks to the resized image, as torchvision's _resize_image_and_masks.</summary>
    private static Tensor ResizeMasks(Tensor masks, (long Height, long Width) to) =>
        F.interpolate(masks.unsqueeze(1).to(ScalarType.Float32), size: [to.Height, to.Width], mode: InterpolationMode.Nearest)
            .squeeze(1).to(ScalarType.Byte);

    /// <summary>Scales the x and y of [G, J, 3] keypoints by float32 ratios, visibility untouched, as torchvision's resize_keypoints.</summary>
    private static Tensor ResizeKeypoints(Tensor keypoints, (long Height, long Width) from, (long Height, long Width) to)
    {
        float ratioHeight = to.Height / (float)from.Height;
        float ratioWidth = to.Width / (float)from.Width;
        var ratios = tensor(new[] { ratioWidth, ratioHeight, 1f }, keypoints.dtype, keypoints.device);   // [3]
        return keypoints * ratios;
    }

    /// <summary>Zero-pads every image to the largest height and width, rounded up to SizeDivisible.</summary>
    /// <returns>[N, 3, H, W].</returns>
    private Tensor Batch(IReadOnlyList<Tensor> images)
    {
        long divisor = Options.SizeDivisible;
        long height = (images.Max(i => i.shape[1]) + divisor - 1) / divisor * divisor;
        long width = (images.Max(i => i.shape[2]) + divisor - 1) / divisor * divisor;
        var batch = zeros([images.Count, 3, height, width], images[0].dtype, images[0].device);
        for (int i = 0; i < images.Count; i++)
            batch[i, .., ..(int)images[i].shape[1], ..(int)images[i].shape[2]].copy_(images[i]);
        return batch;
    }
}
