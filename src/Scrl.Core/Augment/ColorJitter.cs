using static TorchSharp.torch;

namespace Scrl.Core.Augment;

/// <summary>
/// torchvision ColorJitter with a different op order and factors per image, kept batched: for each of the
/// four positions and each op, the images that run that op at that position are gathered, transformed
/// together and written back. Every image runs each op once, so the work equals four batched ops.
/// </summary>
/// <remarks>Shapes: B images; images are [B, 3, H, W] float in [0, 1].</remarks>
public static class ColorJitter
{
    private const int OpCount = 4;

    /// <param name="images">[B, 3, H, W] float in [0, 1].</param>
    /// <param name="jitter">Per image, its draw, or null to leave that image unchanged.</param>
    /// <returns>[B, 3, H, W].</returns>
    public static Tensor Apply(Tensor images, IReadOnlyList<ColorJitterParameters?> jitter)
    {
        ArgumentNullException.ThrowIfNull(jitter);
        if (images.shape[0] != jitter.Count)
            throw new ArgumentException($"{jitter.Count} jitter draws for a batch of {images.shape[0]}", nameof(jitter));
        using var scope = NewDisposeScope();
        var result = images.clone();   // written in place below, group by group
        for (int position = 0; position < OpCount; position++)
        {
            foreach (var op in Enum.GetValues<ColorJitterOp>())
            {
                var samples = new List<long>();
                var factors = new List<double>();
                for (int n = 0; n < jitter.Count; n++)
                {
                    if (jitter[n] is { } draw && draw.Order[position] == op)
                    {
                        samples.Add(n);
                        factors.Add(draw.FactorOf(op));
                    }
                }
                if (samples.Count == 0) continue;
                using var group = NewDisposeScope();   // frees this group's copies before the next group makes its own
                var index = tensor(samples.ToArray(), device: images.device);                        // [n]
                var factor = tensor(factors.ToArray(), dtype: images.dtype, device: images.device);  // [n]
                var transformed = ApplyOp(op, result.index_select(0, index), factor);                // [n, 3, H, W]
                result.index_copy_(0, index, transformed);
            }
        }
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>One jitter op on a batch, one factor per image ([B]).</summary>
    public static Tensor ApplyOp(ColorJitterOp op, Tensor images, Tensor factors) => op switch
    {
        ColorJitterOp.Brightness => ColorOps.Brightness(images, factors),
        ColorJitterOp.Contrast => ColorOps.Contrast(images, factors),
        ColorJitterOp.Saturation => ColorOps.Saturation(images, factors),
        ColorJitterOp.Hue => HueOps.AdjustHue(images, factors),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown colour jitter op"),
    };
}
