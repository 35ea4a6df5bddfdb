using static TorchSharp.torch;

namespace Scrl.Core.Augment;

/// <summary>
/// Squeezes each square view to its own aspect ratio, keeping the longer side at S, and pads it back to S x S,
/// centred, with zeros: the views are already normalized, so zero is the dataset mean (mean padding).
/// </summary>
/// <remarks>Shapes: B views, C channels, S = the input size. Resizing is bicubic and antialiased, as every other
/// resize of the view pipeline (<see cref="Resampling"/>); normalized values are not clamped.</remarks>
public static class AspectPadding
{
    /// <summary>Where a view of aspect ratio <paramref name="aspect"/> (width / height) sits in the square.</summary>
    /// <returns>Its height and width (the longer one <paramref name="size"/>, the other rounded half to even, at
    /// least 1) and its top-left corner (floor of half the slack).</returns>
    public static (int Height, int Width, int Top, int Left) Placement(int size, double aspect)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (!(aspect > 0) || double.IsInfinity(aspect)) throw new ArgumentOutOfRangeException(nameof(aspect), aspect, "must be a positive number");
        int height = size, width = size;
        if (aspect >= 1) height = Math.Max(1, (int)Math.Round(size / aspect));
        else width = Math.Max(1, (int)Math.Round(size * aspect));
        return (height, width, (size - height) / 2, (size - width) / 2);
    }

    /// <param name="views">Normalized square views [B, C, S, S].</param>
    /// <param name="aspects">One aspect ratio (width / height) per view.</param>
    /// <returns>[B, C, S, S]: each view resized to its placement, zero outside it.</returns>
    public static Tensor Apply(Tensor views, IReadOnlyList<double> aspects)
    {
        ArgumentNullException.ThrowIfNull(views);
        ArgumentNullException.ThrowIfNull(aspects);
        if (views.dim() != 4 || views.shape[2] != views.shape[3])
            throw new ArgumentException($"Expected square views [B, C, S, S], got [{string.Join(", ", views.shape)}].", nameof(views));
        if (aspects.Count != views.shape[0])
            throw new ArgumentException($"{views.shape[0]} views and {aspects.Count} aspect ratios; need as many", nameof(aspects));
        int size = (int)views.shape[2];
        using var scope = NewDisposeScope();
        var padded = zeros_like(views);                                          // [B, C, S, S]
        for (int n = 0; n < aspects.Count; n++)
        {
            var (height, width, top, left) = Placement(size, aspects[n]);
            var resized = nn.functional.interpolate(views.narrow(0, n, 1), [height, width], mode: InterpolationMode.Bicubic,
                                                    align_corners: false, antialias: true);        // [1, C, height, width]
            padded.narrow(0, n, 1).narrow(2, top, height).narrow(3, left, width).copy_(resized);
        }
        return padded.MoveToOuterDisposeScope();
    }
}
