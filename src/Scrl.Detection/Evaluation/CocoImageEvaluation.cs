namespace Scrl.Detection.Evaluation;

/// <summary>What one detection counts as at one IoU threshold in <c>accumulate</c>.</summary>
internal enum DetectionOutcome : byte
{
    /// <summary>Not ignored and unmatched (pycocotools' <c>fps</c>).</summary>
    FalsePositive,

    /// <summary>Not ignored and matched (<c>tps</c>).</summary>
    TruePositive,

    /// <summary>Matched an ignored ground truth, or unmatched and outside the area range (<c>dtIgnore</c>).</summary>
    Ignored,
}

/// <summary>
/// The matching of one (image, category, area range): pycocotools' <c>evaluateImg</c> result, reduced to what
/// <c>accumulate</c> reads. Detections are in descending score order, truncated to the largest max-detections.
/// </summary>
/// <param name="Scores">Detection scores, [D], descending.</param>
/// <param name="Outcomes">[D * T]: outcome of detection d at IoU threshold t (detection-major, as accumulate reads it).</param>
/// <param name="CountedGroundTruths">Ground truths that are neither crowd nor outside the area range (<c>gtIgnore == 0</c>).</param>
internal sealed record CocoImageEvaluation(double[] Scores, DetectionOutcome[] Outcomes, int CountedGroundTruths);
