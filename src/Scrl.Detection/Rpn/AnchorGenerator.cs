using static TorchSharp.torch;

namespace Scrl.Detection.Rpn;

// Shapes: L levels, A anchors per location, H_l x W_l level sizes, T = sum_l H_l * W_l * A anchors per image.

/// <summary>Anchors for every location of every FPN level: one size per level, several aspect ratios.</summary>
/// <remarks>
/// Mirrors torchvision models/detection/anchor_utils.py AnchorGenerator: base anchors (-w, -h, w, h) / 2 rounded
/// half to even, shifted by integer strides (padded image size // level size). Order: level, then row, column,
/// then aspect ratio. Not a module: it has no weights. Every image in a batch gets the same anchors.
/// </remarks>
public sealed class AnchorGenerator
{
    /// <param name="sizes">Anchor side lengths in px per level (32, 64, 128, 256, 512 for R50-FPN).</param>
    /// <param name="aspectRatios">Height / width ratios, the same on every level (0.5, 1, 2).</param>
    public AnchorGenerator(IReadOnlyList<IReadOnlyList<double>> sizes, IReadOnlyList<double> aspectRatios)
    {
        if (sizes.Count == 0 || aspectRatios.Count == 0) throw new ArgumentException("need at least one size and ratio");
        Sizes = sizes;
        AspectRatios = aspectRatios;
    }

    /// <summary>torchvision's R50-FPN default: ((32,), (64,), (128,), (256,), (512,)) x (0.5, 1, 2).</summary>
    public static AnchorGenerator FpnDefault() => new([[32], [64], [128], [256], [512]], [0.5, 1.0, 2.0]);

    public IReadOnlyList<IReadOnlyList<double>> Sizes { get; }

    public IReadOnlyList<double> AspectRatios { get; }

    /// <summary>A: anchors per location, the same on every level.</summary>
    public int AnchorsPerLocation => Sizes[0].Count * AspectRatios.Count;

    /// <param name="paddedSize">(H, W) of the padded batch.</param>
    /// <param name="levelSizes">(H_l, W_l) of each feature level.</param>
    /// <returns>Anchors [T, 4] xyxy px (float32) and the anchor count per level.</returns>
    public (Tensor Anchors, long[] CountPerLevel) Generate((long Height, long Width) paddedSize, IReadOnlyList<(long Height, long Width)> levelSizes, Device device)
    {
        if (levelSizes.Count != Sizes.Count)
            throw new ArgumentException($"{Sizes.Count} anchor sizes for {levelSizes.Count} feature levels.", nameof(levelSizes));
        using var scope = NewDisposeScope();
        var perLevel = new Tensor[levelSizes.Count];
        var counts = new long[levelSizes.Count];
        for (int l = 0; l < levelSizes.Count; l++)
        {
            var (gridH, gridW) = levelSizes[l];
            long strideH = paddedSize.Height / gridH, strideW = paddedSize.Width / gridW;
            var cell = CellAnchors(Sizes[l], device);                                          // [A, 4]
            var shiftX = arange(0, gridW, ScalarType.Int64, device) * strideW;                 // [W_l]
            var shiftY = arange(0, gridH, ScalarType.Int64, device) * strideH;                 // [H_l]
            var grid = meshgrid([shiftY, shiftX], indexing: "ij");
            var sx = grid[1].reshape(-1);
            var sy = grid[0].reshape(-1);
            var shifts = stack([sx, sy, sx, sy], 1);                                           // [H_l*W_l, 4] int64
            perLevel[l] = (shifts.view(-1, 1, 4) + cell.view(1, -1, 4)).reshape(-1, 4);        // [H_l*W_l*A, 4] float32
            counts[l] = perLevel[l].shape[0];
        }
        return (cat(perLevel, 0).MoveToOuterDisposeScope(), counts);
    }

    /// <returns>Zero-centred anchors [A, 4] for one level, ratio-major as torchvision orders them.</returns>
    private Tensor CellAnchors(IReadOnlyList<double> scales, Device device)
    {
        var s = tensor(scales.ToArray(), ScalarType.Float32, device);                          // [S]
        var ratios = tensor(AspectRatios.ToArray(), ScalarType.Float32, device);               // [R]
        var hRatios = sqrt(ratios);
        var wRatios = 1 / hRatios;
        var ws = (wRatios.unsqueeze(1) * s.unsqueeze(0)).view(-1);                             // [R*S]
        var hs = (hRatios.unsqueeze(1) * s.unsqueeze(0)).view(-1);
        return (stack([-ws, -hs, ws, hs], 1) / 2).round();                                    // [A, 4]
    }
}
