namespace Scrl.Detection.Masks;

/// <summary>
/// A run-length mask as pycocotools' <c>maskApi.c</c> holds it: an image of <see cref="Height"/> x <see cref="Width"/>
/// pixels read in column-major order, as alternating runs of 0s and 1s, starting with 0s (a first run may be 0 long).
/// </summary>
/// <remarks>Mirrors cocodataset/cocoapi common/maskApi.h <c>RLE {h, w, m, cnts}</c>. Counts are unsigned, as there.</remarks>
public sealed class Rle
{
    private readonly uint[] _counts;

    /// <param name="height">Image height h in pixels.</param>
    /// <param name="width">Image width w in pixels.</param>
    /// <param name="counts">Run lengths, [m]; kept, not copied.</param>
    public Rle(int height, int width, uint[] counts)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        ArgumentNullException.ThrowIfNull(counts);
        Height = height;
        Width = width;
        _counts = counts;
    }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Run lengths, [m]: 0s, 1s, 0s, ... in column-major order.</summary>
    public ReadOnlySpan<uint> Counts => _counts;

    /// <summary>Sum of the runs as maskApi.c would read them (a valid mask covers exactly h * w pixels).</summary>
    public long CoveredPixels()
    {
        long sum = 0;
        foreach (uint c in _counts) sum += c;
        return sum;
    }
}
