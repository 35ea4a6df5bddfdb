using static TorchSharp.torch;

namespace Scrl.Detection.Poolers;

// Shapes: R RoIs.

/// <summary>FPN paper eq. 1: level = floor(k0 + log2(sqrt(area) / s0) + eps), clamped to the available levels.</summary>
/// <remarks>
/// Mirrors torchvision ops/poolers.py LevelMapper (canonical scale 224, canonical level 4, eps 1e-6 added after the
/// log); <see cref="PoolerFlavor.Detectron2"/> is detectron2's assign_boxes_to_levels (eps 1e-8 inside the log).
/// </remarks>
public sealed class LevelMapper(int minLevel, int maxLevel, PoolerFlavor flavor = PoolerFlavor.Torchvision, int canonicalScale = 224, int canonicalLevel = 4)
{
    public int MinLevel { get; } = minLevel;

    public int MaxLevel { get; } = maxLevel;

    /// <param name="boxes">[R, 4] xyxy px.</param>
    /// <returns>[R] int64 index into the pooled levels (0 = <see cref="MinLevel"/>).</returns>
    public Tensor Map(Tensor boxes)
    {
        using var scope = NewDisposeScope();
        var sizes = sqrt((boxes[.., 2] - boxes[.., 0]) * (boxes[.., 3] - boxes[.., 1]));                 // [R]
        var levels = flavor == PoolerFlavor.Torchvision
            ? floor(canonicalLevel + log2(sizes / canonicalScale) + tensor(1e-6, sizes.dtype))   // [R]
            : floor(canonicalLevel + log2(sizes / canonicalScale + 1e-8));
        levels = levels.clamp(MinLevel, MaxLevel);
        return (levels.to(ScalarType.Int64) - MinLevel).MoveToOuterDisposeScope();
    }
}
