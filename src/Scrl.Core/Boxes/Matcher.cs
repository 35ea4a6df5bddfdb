using static TorchSharp.torch;

namespace Scrl.Core.Boxes;

// Shapes: G ground-truth boxes, P predictions (anchors or proposals).

/// <summary>Assigns each prediction the ground truth it overlaps most, or a below/between-thresholds code.</summary>
/// <remarks>Mirrors torchvision models/detection/_utils.py Matcher, including set_low_quality_matches_.</remarks>
public sealed class Matcher
{
    /// <summary>Match code for a prediction whose best quality is below the low threshold (background).</summary>
    public const long BelowLowThreshold = -1;

    /// <summary>Match code for a prediction between the thresholds (ignored).</summary>
    public const long BetweenThresholds = -2;

    /// <param name="highThreshold">Quality at or above which a match is foreground.</param>
    /// <param name="lowThreshold">Quality below which a prediction is background.</param>
    /// <param name="allowLowQualityMatches">Also keep, for every ground truth, the predictions that overlap it best.</param>
    public Matcher(double highThreshold, double lowThreshold, bool allowLowQualityMatches)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lowThreshold, highThreshold);
        HighThreshold = highThreshold;
        LowThreshold = lowThreshold;
        AllowLowQualityMatches = allowLowQualityMatches;
    }

    public double HighThreshold { get; }

    public double LowThreshold { get; }

    public bool AllowLowQualityMatches { get; }

    /// <param name="quality">IoU of every (ground truth, prediction) pair [G, P]; G must be at least 1.</param>
    /// <returns>Matched ground-truth index per prediction [P] int64, or <see cref="BelowLowThreshold"/> / <see cref="BetweenThresholds"/>.</returns>
    public Tensor Match(Tensor quality)
    {
        if (quality.dim() != 2 || quality.shape[0] == 0 || quality.shape[1] == 0)
            throw new ArgumentException($"Matcher needs a non-empty [G, P] quality matrix, got [{string.Join(", ", quality.shape)}].", nameof(quality));
        using var scope = NewDisposeScope();
        var (bestQuality, matches) = quality.max(0);                      // [P], [P]
        var allMatches = matches.clone();
        var below = bestQuality < LowThreshold;
        var between = (bestQuality >= LowThreshold).logical_and(bestQuality < HighThreshold);
        matches = matches.masked_fill(below, BelowLowThreshold).masked_fill(between, BetweenThresholds);
        if (AllowLowQualityMatches)
        {
            var bestPerGt = quality.max(1).values;                        // [G]
            var isBest = quality.eq(bestPerGt.unsqueeze(1)).any(0);       // [P]: best for some ground truth
            matches = where(isBest, allMatches, matches);
        }
        return matches.MoveToOuterDisposeScope();
    }
}
