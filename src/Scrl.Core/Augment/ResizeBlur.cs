using static TorchSharp.torch;

namespace Scrl.Core.Augment;

/// <summary>
/// The official code's ResizeBlur (augment/transforms.py): bicubic down to (int(h // f), int(w // f)), then
/// bicubic back up to (h, w). Images sharing a factor are resized in one call.
/// </summary>
/// <remarks>Shapes: B images; images are [B, 3, H, W] float in [0, 1].</remarks>
public static class ResizeBlur
{
    /// <param name="factors">Per image, its downscale factor (> 1), or null to leave it unchanged.</param>
    /// <returns>[B, 3, H, W].</returns>
    public static Tensor Apply(Tensor images, IReadOnlyList<double?> factors)
    {
        ArgumentNullException.ThrowIfNull(factors);
        if (images.shape[0] != factors.Count)
            throw new ArgumentException($"{factors.Count} blur factors for a batch of {images.shape[0]}", nameof(factors));
        using var scope = NewDisposeScope();
        long h = images.shape[2], w = images.shape[3];
        var result = images.clone();   // written in place below, group by group
        var groups = Enumerable.Range(0, factors.Count)
            .Where(n => factors[n].HasValue)
            .GroupBy(n => factors[n]!.Value);
        foreach (var group in groups)
        {
            using var step = NewDisposeScope();   // frees this group's copies before the next group makes its own
            var index = tensor(group.Select(n => (long)n).ToArray(), device: images.device);   // [n]
            double f = group.Key;
            var small = Resampling.ResizeBicubic(result.index_select(0, index),
                                                 (long)PythonFloorDivide(h, f), (long)PythonFloorDivide(w, f)); // [n, 3, h', w']
            result.index_copy_(0, index, Resampling.ResizeBicubic(small, h, w));
        }
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Python's float <c>a // b</c> (CPython float_floor_div), which can differ from floor(a / b).</summary>
    internal static double PythonFloorDivide(double a, double b)
    {
        double mod = a % b;   // C# % on doubles is C fmod, as in CPython
        double div = (a - mod) / b;
        double floor = Math.Floor(div);
        return div - floor > 0.5 ? floor + 1 : floor;
    }
}
