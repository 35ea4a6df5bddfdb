namespace Scrl.Detection.Evaluation;

/// <summary>
/// detectron2's <c>voc_eval</c> for one class and one IoU threshold: detections by descending score greedily claim
/// the ground truth of highest "+1 pixel" IoU in their image (difficult objects included in the search); a claim
/// above the threshold is a hit, a repeat claim a false positive, and a claim on a difficult object neither.
/// </summary>
internal static class VocClassEvaluator
{
    /// <param name="groundTruth">This class's objects per image id; images without objects may be absent.</param>
    /// <param name="detections">This class's detections in file order (ties keep it: see <see cref="VocEvaluator"/>).</param>
    /// <returns>Average precision in [0, 1]; NaN when the class has no non-difficult object, as in detectron2.</returns>
    public static double AveragePrecision(
        IReadOnlyDictionary<string, VocGroundTruthBox[]> groundTruth, IReadOnlyList<VocDetection> detections,
        double iouThreshold, bool use07Metric)
    {
        int positives = groundTruth.Values.Sum(boxes => boxes.Count(b => !b.Difficult));
        var claimed = groundTruth.ToDictionary(kv => kv.Key, kv => new bool[kv.Value.Length]);
        int[] order = NumpySemantics.StableArgsortDescending(detections.Select(d => d.Score).ToArray());
        int n = order.Length;
        var tp = new double[n];
        var fp = new double[n];
        for (int j = 0; j < n; j++)
        {
            var det = detections[order[j]];
            var boxes = groundTruth.GetValueOrDefault(det.ImageId, []);
            (double best, int bestIndex) = BestOverlap(det, boxes);
            if (best > iouThreshold)
            {
                if (boxes[bestIndex].Difficult) continue;
                bool[] taken = claimed[det.ImageId];
                if (!taken[bestIndex]) (tp[j], taken[bestIndex]) = (1.0, true);
                else fp[j] = 1.0;
            }
            else fp[j] = 1.0;
        }

        var recall = new double[n];
        var precision = new double[n];
        double tpSum = 0, fpSum = 0;
        for (int j = 0; j < n; j++)
        {
            tpSum += tp[j];
            fpSum += fp[j];
            recall[j] = tpSum / positives;
            precision[j] = tpSum / Math.Max(tpSum + fpSum, NumpySemantics.Eps);
        }
        return VocAp.Compute(recall, precision, use07Metric);
    }

    // np.max / np.argmax of the overlaps: the first index of the largest IoU; -inf when the image has no object.
    private static (double Best, int Index) BestOverlap(VocDetection d, VocGroundTruthBox[] boxes)
    {
        double best = double.NegativeInfinity;
        int index = -1;
        double detArea = (d.X2 - d.X1 + 1.0) * (d.Y2 - d.Y1 + 1.0);
        for (int g = 0; g < boxes.Length; g++)
        {
            var b = boxes[g];
            double iw = Math.Max(Math.Min(b.X2, d.X2) - Math.Max(b.X1, d.X1) + 1.0, 0.0);
            double ih = Math.Max(Math.Min(b.Y2, d.Y2) - Math.Max(b.Y1, d.Y1) + 1.0, 0.0);
            double inters = iw * ih;
            double union = detArea + (b.X2 - b.X1 + 1.0) * (b.Y2 - b.Y1 + 1.0) - inters;
            double iou = inters / union;
            if (index < 0 || iou > best) (best, index) = (iou, g);
        }
        return (best, index);
    }
}
