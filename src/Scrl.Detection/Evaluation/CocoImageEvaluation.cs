namespace Scrl.Detection.Evaluation;

/// <summary>
/// The matching of one (image, category, area range): pycocotools' <c>evaluateImg</c> result, reduced to what
/// <c>accumulate</c> reads. Detections are in descending score order, truncated to the largest max-detections.
/// </summary>
/// <param name="Scores">Detection scores, [D], descending.</param>
/// <param name="Matched">[T * D]: detection matched a ground truth at IoU threshold t (pycocotools' <c>dtm != 0</c>).</param>
/// <param name="Ignored">[T * D]: detection matched an ignored ground truth, or matched nothing and lies outside the area range.</param>
/// <param name="CountedGroundTruths">Ground truths that are neither crowd nor outside the area range (<c>gtIgnore == 0</c>).</param>
internal sealed record CocoImageEvaluation(double[] Scores, bool[] Matched, bool[] Ignored, int CountedGroundTruths);
