namespace Scrl.Detection.Evaluation.Cityscapes;

/// <summary>
/// cityscapesScripts' <c>evaluateMatches</c> for one class and one overlap threshold: collects (is-true, score)
/// examples and hard false negatives over all images, then integrates the step-wise precision/recall curve.
/// </summary>
internal static class CityscapesAveragePrecision
{
    /// <returns>AP in [0, 1]; 0 with ground truth but no prediction of the class; NaN without ground truth.</returns>
    /// <remarks>
    /// With ground truth and predictions but no example at all (every prediction ignored, nothing matched) the script
    /// fails on an empty cumsum; the curve is then only its artificial first point, and we return its area, 0.
    /// </remarks>
    public static double Compute(IReadOnlyList<CityscapesImageMatches> images, int classIndex, double overlapThreshold, int minRegionSize)
    {
        var scores = new List<double>();
        var isTrue = new List<bool>();
        int hardFalseNegatives = 0;
        bool haveGt = false, havePred = false;
        foreach (var image in images)
        {
            var predictions = image.PredictionsByClass[classIndex];
            havePred |= predictions.Count > 0;
            foreach (var gt in image.GroundTruthByClass[classIndex])
            {
                if (!gt.IsInstance || gt.PixelCount < minRegionSize) continue;   // groups and small regions are not targets
                haveGt = true;
                bool matched = false;
                double score = double.NegativeInfinity;
                foreach (var (p, intersection) in gt.MatchedPredictions)
                {
                    double confidence = predictions[p].Confidence;
                    if (Overlap(intersection, gt.PixelCount, predictions[p].PixelCount) <= overlapThreshold) continue;
                    if (matched)
                    {
                        // a second match: the lower of the two scores becomes a false positive
                        scores.Add(Math.Min(score, confidence));
                        isTrue.Add(false);
                        score = Math.Max(score, confidence);
                    }
                    else
                    {
                        matched = true;
                        score = confidence;
                    }
                }
                if (matched) { scores.Add(score); isTrue.Add(true); }
                else hardFalseNegatives++;
            }

            var classGt = image.GroundTruthByClass[classIndex];
            foreach (var prediction in predictions)
            {
                bool foundGt = false;
                int ignoredPixels = prediction.VoidIntersection;
                foreach (var (g, intersection) in prediction.MatchedGroundTruth)
                {
                    var gt = classGt[g];
                    if (Overlap(intersection, gt.PixelCount, prediction.PixelCount) > overlapThreshold) { foundGt = true; break; }
                    if (!gt.IsInstance) ignoredPixels += intersection;
                    if (gt.PixelCount < minRegionSize) ignoredPixels += intersection;   // a small group counts twice, as in the script
                }
                if (!foundGt && (double)ignoredPixels / prediction.PixelCount <= overlapThreshold)
                {
                    scores.Add(prediction.Confidence);
                    isTrue.Add(false);
                }
            }
        }
        if (!haveGt) return double.NaN;
        if (!havePred) return 0.0;
        return AreaUnderCurve(scores, isTrue, hardFalseNegatives);
    }

    private static double Overlap(int intersection, int gtPixels, int predictionPixels) =>
        (double)intersection / (gtPixels + predictionPixels - intersection);

    /// <summary>The script's precision/recall points at each distinct score, plus (recall 0, precision 1), integrated step-wise.</summary>
    private static double AreaUnderCurve(List<double> scores, List<bool> isTrue, int hardFalseNegatives)
    {
        int n = scores.Count;
        var order = Enumerable.Range(0, n).ToArray();
        var keys = scores.ToArray();
        Array.Sort(keys, order);                                              // ascending score; ties never split a threshold
        var cumulativeTrue = new double[n];                                   // true examples among the n lowest scores, n = 1..
        double running = 0;
        for (int i = 0; i < n; i++) cumulativeTrue[i] = running += isTrue[order[i]] ? 1 : 0;
        double totalTrue = n > 0 ? cumulativeTrue[n - 1] : 0;

        var precision = new List<double>();
        var recall = new List<double>();
        for (int i = 0; i < n; i++)
        {
            if (i > 0 && keys[i] == keys[i - 1]) continue;                      // first index of each distinct score
            double below = i > 0 ? cumulativeTrue[i - 1] : 0;
            double tp = totalTrue - below;
            double fp = n - i - tp;
            double fn = below + hardFalseNegatives;
            precision.Add(tp / (tp + fp));
            recall.Add(tp / (tp + fn));
        }
        precision.Add(1.0);
        recall.Add(0.0);

        // np.convolve(r[0] ++ r ++ 0, [-0.5, 0, 0.5], 'valid'): width i = 0.5 * r'[i] - 0.5 * r'[i + 2]
        int m = recall.Count;
        double At(int j) => j == 0 ? recall[0] : j <= m ? recall[j - 1] : 0.0;
        double ap = 0;
        for (int i = 0; i < m; i++) ap += precision[i] * (0.5 * At(i) + 0.0 * At(i + 1) + -0.5 * At(i + 2));
        return ap;
    }
}
