using System.Runtime.InteropServices;

namespace Scrl.Detection.Evaluation.Cityscapes;

/// <summary>
/// cityscapesScripts' <c>assignGt2Preds</c>: counts each prediction's pixels, its pixels on void, and its
/// intersection with every ground-truth region of its class, in one pass over the mask.
/// </summary>
/// <remarks>Holds scratch buffers, so one instance serves one thread.</remarks>
internal sealed class CityscapesImageMatcher
{
    private static readonly bool[] IsVoid = CityscapesLabels.VoidLookup();
    private readonly int[] _pixelsPerId = new int[ushort.MaxValue + 1];   // prediction ∩ id, reset after each prediction
    private readonly List<ushort> _touchedIds = [];

    /// <exception cref="ArgumentException">A prediction with an unknown label id, a NaN confidence, or a mask of another size.</exception>
    public CityscapesImageMatches Match(CityscapesGroundTruth groundTruth, IReadOnlyList<CityscapesInstancePrediction> predictions)
    {
        int classCount = CityscapesLabels.InstanceClasses.Count;
        var gtByClass = Enumerable.Range(0, classCount).Select(_ => new List<CityscapesMatchedGroundTruth>()).ToArray();
        var predByClass = Enumerable.Range(0, classCount).Select(_ => new List<CityscapesMatchedPrediction>()).ToArray();
        foreach (var region in groundTruth.Regions)                       // filterGtInstances: evaluated classes only
        {
            int c = CityscapesLabels.InstanceClassIndex(region.LabelId);
            if (c >= 0) gtByClass[c].Add(new CityscapesMatchedGroundTruth(region.InstanceId, region.PixelCount, []));
        }

        ReadOnlySpan<ushort> ids = groundTruth.Ids.Span;
        foreach (var prediction in predictions)
        {
            int c = ClassOf(prediction, groundTruth);
            if (c < 0) continue;                                          // a label the evaluation skips
            var (pixelCount, voidCount) = CountOverlaps(ids, prediction.Mask.Span);
            if (pixelCount == 0) { ResetCounts(); continue; }              // the script skips empty masks

            var matchedGt = new List<CityscapesOverlap>();
            var kept = new CityscapesMatchedPrediction(prediction.Confidence, pixelCount, voidCount, matchedGt);
            var classGt = gtByClass[c];
            for (int g = 0; g < classGt.Count; g++)
            {
                int intersection = _pixelsPerId[classGt[g].InstanceId];
                if (intersection == 0) continue;
                matchedGt.Add(new CityscapesOverlap(g, intersection));
                classGt[g].MatchedPredictions.Add(new CityscapesOverlap(predByClass[c].Count, intersection));
            }
            predByClass[c].Add(kept);
            ResetCounts();
        }
        return new CityscapesImageMatches(gtByClass, predByClass);
    }

    /// <summary>The evaluated-class index of the prediction, -1 to skip it; validates it as the script would fail on it.</summary>
    private static int ClassOf(CityscapesInstancePrediction prediction, CityscapesGroundTruth groundTruth)
    {
        if (CityscapesLabels.Find(prediction.LabelId) is null)
            throw new ArgumentException($"{groundTruth.Name}: prediction label id {prediction.LabelId} is not a Cityscapes label id (labels.py).");
        int c = CityscapesLabels.InstanceClassIndex(prediction.LabelId);
        if (c < 0) return c;
        if (double.IsNaN(prediction.Confidence))
            throw new ArgumentException($"{groundTruth.Name}: a prediction of label {prediction.LabelId} has a NaN confidence.");
        if (prediction.Width != groundTruth.Width || prediction.Height != groundTruth.Height || prediction.Mask.Length != groundTruth.Ids.Length)
            throw new ArgumentException($"{groundTruth.Name}: a prediction mask is {prediction.Width}x{prediction.Height} ({prediction.Mask.Length} values), " +
                                        $"the ground truth {groundTruth.Width}x{groundTruth.Height}.");
        return c;
    }

    private (int PixelCount, int VoidCount) CountOverlaps(ReadOnlySpan<ushort> ids, ReadOnlySpan<bool> mask)
    {
        // Masks are mostly outside: find each inside run with vectorized searches, then walk only its pixels.
        var flags = MemoryMarshal.Cast<bool, byte>(mask);
        int pixelCount = 0, voidCount = 0;
        for (int start = 0; start < flags.Length;)
        {
            int offset = flags[start..].IndexOfAnyExcept((byte)0);
            if (offset < 0) break;
            start += offset;
            int length = flags[start..].IndexOf((byte)0);
            int end = length < 0 ? flags.Length : start + length;
            for (int i = start; i < end; i++)
            {
                ushort id = ids[i];
                if (IsVoid[id]) voidCount++;
                if (_pixelsPerId[id]++ == 0) _touchedIds.Add(id);
            }
            pixelCount += end - start;
            start = end;
        }
        return (pixelCount, voidCount);
    }

    private void ResetCounts()
    {
        foreach (ushort id in _touchedIds) _pixelsPerId[id] = 0;
        _touchedIds.Clear();
    }
}
