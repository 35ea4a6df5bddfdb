namespace Scrl.Detection.Evaluation;

/// <summary>
/// pycocotools' <c>COCOeval.accumulate</c>: per (category, area range, maxDets) pools the per-image matchings,
/// sorts them by score (stable, images in id order), and samples the monotone precision envelope at the recall
/// thresholds with <c>searchsorted(side='left')</c>; thresholds past the last recall keep precision 0.
/// </summary>
internal static class CocoAccumulator
{
    /// <param name="evaluations">[K * A * I] in (category, area, image) order; null where an image had neither gt nor dets.</param>
    public static CocoPrecisionTable Accumulate(IReadOnlyList<CocoImageEvaluation?> evaluations, CocoEvalParams p, int categories, int images)
    {
        int tCount = p.IouThresholds.Count, rCount = p.RecallThresholds.Count, aCount = p.AreaRanges.Count, mCount = p.MaxDetections.Count;
        var table = new CocoPrecisionTable(tCount, rCount, categories, aCount, mCount);
        var pooled = new List<CocoImageEvaluation>();
        for (int k = 0; k < categories; k++)
            for (int a = 0; a < aCount; a++)
            {
                pooled.Clear();
                for (int i = 0; i < images; i++)
                    if (evaluations[(k * aCount + a) * images + i] is { } e) pooled.Add(e);
                if (pooled.Count == 0) continue;
                int counted = pooled.Sum(e => e.CountedGroundTruths);
                if (counted == 0) continue;
                for (int m = 0; m < mCount; m++)
                    AccumulateCell(table, pooled, p, counted, k, a, m);
            }
        return table;
    }

    private static void AccumulateCell(CocoPrecisionTable table, List<CocoImageEvaluation> pooled, CocoEvalParams p, int counted, int k, int a, int m)
    {
        int maxDet = p.MaxDetections[m];
        // Concatenate each image's first maxDet detections: (evaluation, column) pairs and their scores.
        var scores = new List<double>();
        var source = new List<(CocoImageEvaluation Eval, int Column)>();
        foreach (var e in pooled)
            for (int d = 0; d < Math.Min(maxDet, e.Scores.Length); d++)
            {
                scores.Add(e.Scores[d]);
                source.Add((e, d));
            }
        int[] order = NumpySemantics.StableArgsortDescending(scores);
        int n = order.Length;
        var rc = new double[n];
        var pr = new double[n];
        for (int t = 0; t < table.T; t++)
        {
            long tp = 0, fp = 0;                           // np.cumsum of bools is exact in integers
            for (int j = 0; j < n; j++)
            {
                var (e, d) = source[order[j]];
                int cell = t * e.Scores.Length + d;
                if (!e.Ignored[cell])
                {
                    if (e.Matched[cell]) tp++;
                    else fp++;
                }
                rc[j] = tp / (double)counted;
                pr[j] = tp / ((double)fp + tp + NumpySemantics.Eps);
            }
            table.Recall[table.RecallIndex(t, k, a, m)] = n > 0 ? rc[n - 1] : 0;
            for (int j = n - 1; j > 0; j--)
                if (pr[j] > pr[j - 1]) pr[j - 1] = pr[j];
            for (int r = 0; r < table.R; r++)
            {
                int idx = NumpySemantics.SearchSortedLeft(rc, p.RecallThresholds[r]);
                table.Precision[table.PrecisionIndex(t, r, k, a, m)] = idx < n ? pr[idx] : 0;
            }
        }
    }
}
