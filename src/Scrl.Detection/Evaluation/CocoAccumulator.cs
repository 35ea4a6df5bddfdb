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
        int tCount = p.IouThresholds.Count, aCount = p.AreaRanges.Count, mCount = p.MaxDetections.Count;
        var table = new CocoPrecisionTable(tCount, p.RecallThresholds.Count, categories, aCount, mCount);
        var pooled = new List<CocoImageEvaluation>();
        for (int k = 0; k < categories; k++)
            for (int a = 0; a < aCount; a++)
            {
                pooled.Clear();
                for (int i = 0; i < images; i++)
                    if (evaluations[(k * aCount + a) * images + i] is { } e) pooled.Add(e);
                int counted = pooled.Sum(e => e.CountedGroundTruths);
                if (counted == 0) continue;                     // also covers "no evaluation at all"
                var pool = DetectionPool.Concatenate(pooled, tCount);
                for (int m = 0; m < mCount; m++)
                    AccumulateCell(table, pool, p.MaxDetections[m], p.RecallThresholds, counted, k, a, m);
            }
        return table;
    }

    private static void AccumulateCell(
        CocoPrecisionTable table, DetectionPool pool, int maxDet, IReadOnlyList<double> recallThresholds, int counted, int k, int a, int m)
    {
        // np.concatenate([e['dtScores'][0:maxDet] for e in E]) and the matching outcome columns, then a stable sort.
        int[] rows = pool.FirstPerImage(maxDet);
        var scores = new double[rows.Length];
        for (int j = 0; j < rows.Length; j++) scores[j] = pool.Scores[rows[j]];
        int[] order = NumpySemantics.StableArgsortDescending(scores);

        int n = order.Length, tCount = table.T;
        var rc = new double[tCount * n];                  // [T, N] recall after each detection
        var pr = new double[tCount * n];                  // [T, N] precision after each detection
        var tp = new long[tCount];                        // np.cumsum of bools: exact in integers
        var fp = new long[tCount];
        for (int j = 0; j < n; j++)
        {
            ReadOnlySpan<DetectionOutcome> outcomes = pool.Outcomes.AsSpan(rows[order[j]] * tCount, tCount);
            for (int t = 0; t < tCount; t++)
            {
                if (outcomes[t] == DetectionOutcome.TruePositive) tp[t]++;
                else if (outcomes[t] == DetectionOutcome.FalsePositive) fp[t]++;
                rc[t * n + j] = tp[t] / (double)counted;
                pr[t * n + j] = tp[t] / ((double)fp[t] + tp[t] + NumpySemantics.Eps);
            }
        }
        for (int t = 0; t < tCount; t++)
        {
            Span<double> rcT = rc.AsSpan(t * n, n), prT = pr.AsSpan(t * n, n);
            table.Recall[table.RecallIndex(t, k, a, m)] = n > 0 ? rcT[n - 1] : 0;
            for (int j = n - 1; j > 0; j--)
                if (prT[j] > prT[j - 1]) prT[j - 1] = prT[j];
            for (int r = 0; r < table.R; r++)
            {
                int idx = NumpySemantics.SearchSortedLeft(rcT, recallThresholds[r]);
                table.Precision[table.PrecisionIndex(t, r, k, a, m)] = idx < n ? prT[idx] : 0;
            }
        }
    }

    /// <summary>The detections of one (category, area range) over all images, contiguous, images in id order.</summary>
    private sealed class DetectionPool
    {
        private readonly int[] _imageStart;    // [images + 1] first row of each image
        public required double[] Scores { get; init; }                 // [N]
        public required DetectionOutcome[] Outcomes { get; init; }     // [N * T]

        private DetectionPool(int[] imageStart) => _imageStart = imageStart;

        public static DetectionPool Concatenate(List<CocoImageEvaluation> pooled, int tCount)
        {
            var start = new int[pooled.Count + 1];
            for (int i = 0; i < pooled.Count; i++) start[i + 1] = start[i] + pooled[i].Scores.Length;
            var pool = new DetectionPool(start) { Scores = new double[start[^1]], Outcomes = new DetectionOutcome[start[^1] * tCount] };
            for (int i = 0; i < pooled.Count; i++)
            {
                pooled[i].Scores.CopyTo(pool.Scores, start[i]);
                pooled[i].Outcomes.CopyTo(pool.Outcomes, start[i] * tCount);
            }
            return pool;
        }

        /// <summary>Rows of each image's first <paramref name="maxDet"/> detections, in pool order.</summary>
        public int[] FirstPerImage(int maxDet)
        {
            var rows = new List<int>(Scores.Length);
            for (int i = 0; i + 1 < _imageStart.Length; i++)
                for (int r = _imageStart[i]; r < Math.Min(_imageStart[i + 1], _imageStart[i] + maxDet); r++) rows.Add(r);
            return [.. rows];
        }
    }
}
