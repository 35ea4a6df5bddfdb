using Scrl.Detection.Rpn;

namespace Scrl.Detection.Retina;

/// <summary>RetinaNet's default anchors: three octave scales and three aspect ratios on each of P3..P7.</summary>
/// <remarks>Mirrors torchvision models/detection/retinanet.py _default_anchorgen.</remarks>
public static class RetinaNetAnchors
{
    /// <summary>Base anchor size per level, P3..P7.</summary>
    private static readonly int[] BaseSizes = [32, 64, 128, 256, 512];

    /// <summary>A: 3 scales x 3 ratios.</summary>
    public const int AnchorsPerLocation = 9;

    /// <summary>Sizes (x, int(x 2^(1/3)), int(x 2^(2/3))) per level, truncated as Python's int() does; ratios 0.5, 1, 2.</summary>
    public static AnchorGenerator Default() => new(
        BaseSizes.Select(x => (IReadOnlyList<double>)[x, Math.Truncate(x * Math.Pow(2, 1.0 / 3)), Math.Truncate(x * Math.Pow(2, 2.0 / 3))]).ToList(),
        [0.5, 1.0, 2.0]);
}
