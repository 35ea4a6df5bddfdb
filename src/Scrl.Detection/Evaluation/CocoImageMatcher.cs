namespace Scrl.Detection.Evaluation;

/// <summary>
/// Greedy matching of pycocotools' <c>COCOeval.evaluateImg</c>, step for step: ground truths sorted stably with
/// ignored ones last; per threshold each detection (by score) takes the best-IoU ground truth still free (crowds
/// stay free), and the search stops at the first ignored ground truth once a counted one matched.
/// </summary>
internal static class CocoImageMatcher
{
    // pycocotools caps the threshold just below 1 so a perfect box still matches at IoU=1.0.
    private const double MaxThreshold = 1 - 1e-10;

    /// <param name="iou">[D * G]: IoU of detection d (score order) with ground truth g (input order).</param>
    /// <param name="gtIds">Ground-truth annotation ids, [G]; an id of 0 counts as "no match", as in pycocotools.</param>
    /// <param name="gtAreas">Ground-truth <c>area</c> fields, [G].</param>
    /// <param name="gtCrowd">Ground-truth crowd flags, [G]: a crowd can absorb any number of detections.</param>
    /// <param name="gtIgnore">Ground-truth <c>ignore</c> flags, [G]: crowd, and for keypoints also no labelled keypoint.</param>
    /// <param name="dtScores">Detection scores, [D], descending.</param>
    /// <param name="dtAreas">Detection areas, [D].</param>
    public static CocoImageEvaluation Match(
        ReadOnlySpan<double> iou, ReadOnlySpan<long> gtIds, ReadOnlySpan<double> gtAreas, ReadOnlySpan<bool> gtCrowd,
        ReadOnlySpan<bool> gtIgnore, double[] dtScores, ReadOnlySpan<double> dtAreas, IReadOnlyList<double> iouThresholds, CocoAreaRange range)
    {
        int gCount = gtIds.Length, dCount = dtScores.Length, tCount = iouThresholds.Count;

        // _ignore = ignore or area outside the range; stable sort puts ignored ground truths last.
        var gtIgnoreInput = new bool[gCount];
        int counted = 0;
        for (int g = 0; g < gCount; g++)
        {
            gtIgnoreInput[g] = gtIgnore[g] || range.Excludes(gtAreas[g]);
            if (!gtIgnoreInput[g]) counted++;
        }
        var gtOrder = new int[gCount];
        int front = 0, back = counted;
        for (int g = 0; g < gCount; g++) gtOrder[gtIgnoreInput[g] ? back++ : front++] = g;

        var matched = new bool[tCount * dCount];
        var ignored = new bool[tCount * dCount];
        var gtTaken = new bool[gCount];                   // per threshold, indexed in sorted order
        bool anyIou = dCount > 0 && gCount > 0;           // pycocotools skips matching when ious == []
        for (int t = 0; anyIou && t < tCount; t++)
        {
            Array.Clear(gtTaken);
            for (int d = 0; d < dCount; d++)
            {
                double best = Math.Min(iouThresholds[t], MaxThreshold);
                int m = -1;
                for (int s = 0; s < gCount; s++)
                {
                    int g = gtOrder[s];
                    if (gtTaken[s] && !gtCrowd[g]) continue;
                    if (m > -1 && !gtIgnoreInput[gtOrder[m]] && gtIgnoreInput[g]) break;
                    double v = iou[d * gCount + g];
                    if (v < best) continue;
                    best = v;
                    m = s;
                }
                if (m == -1) continue;
                int gm = gtOrder[m];
                ignored[t * dCount + d] = gtIgnoreInput[gm];
                matched[t * dCount + d] = gtIds[gm] != 0;
                gtTaken[m] = true;
            }
        }

        // Unmatched detections outside the area range are ignored rather than counted as false positives.
        var outcomes = new DetectionOutcome[dCount * tCount];
        for (int d = 0; d < dCount; d++)
        {
            bool outside = range.Excludes(dtAreas[d]);
            for (int t = 0; t < tCount; t++)
            {
                bool hit = matched[t * dCount + d];
                outcomes[d * tCount + t] = ignored[t * dCount + d] || (outside && !hit) ? DetectionOutcome.Ignored
                    : hit ? DetectionOutcome.TruePositive : DetectionOutcome.FalsePositive;
            }
        }
        return new CocoImageEvaluation(dtScores, outcomes, counted);
    }
}
