namespace Scrl.Core.Evaluation;

/// <summary>Turns val predictions into <see cref="RoiEvalScores"/>; plain arrays, no tensors.</summary>
public static class RoiEvalScoring
{
    /// <param name="predictions">Predicted class index per val RoI.</param>
    /// <param name="labels">True class index per val RoI.</param>
    /// <param name="sizes">Size bucket per val RoI.</param>
    /// <param name="topConfusions">How many off-diagonal (true, predicted) pairs to list, most frequent first.</param>
    public static RoiEvalScores Score(IReadOnlyList<long> predictions, IReadOnlyList<long> labels, IReadOnlyList<BoxSizeBucket> sizes,
                                      CategoryMap categories, int topConfusions = 10)
    {
        ArgumentNullException.ThrowIfNull(categories);
        if (predictions.Count != labels.Count || labels.Count != sizes.Count)
            throw new ArgumentException($"predictions ({predictions.Count}), labels ({labels.Count}) and sizes ({sizes.Count}) must have one entry per RoI");
        int k = categories.Count;
        var confusion = new int[k, k];
        var sizeTotal = new int[3];
        var sizeCorrect = new int[3];
        for (int i = 0; i < labels.Count; i++)
        {
            int truth = (int)labels[i], predicted = (int)predictions[i];
            confusion[truth, predicted]++;
            sizeTotal[(int)sizes[i]]++;
            if (truth == predicted) sizeCorrect[(int)sizes[i]]++;
        }

        var perClass = new List<ClassAccuracy>(k);
        int correct = 0;
        for (int c = 0; c < k; c++)
        {
            int total = 0;
            for (int p = 0; p < k; p++) total += confusion[c, p];
            correct += confusion[c, c];
            var category = categories.CategoryAt(c);
            perClass.Add(new ClassAccuracy(category.Id, category.Name, total, total > 0 ? (double)confusion[c, c] / total : null));
        }
        var present = perClass.Where(c => c.Top1 is not null).ToList();
        double meanPerClass = present.Count > 0 ? present.Average(c => c.Top1!.Value) : 0;

        var bySize = Enum.GetValues<BoxSizeBucket>()
            .Select(b => new SizeAccuracy(b, sizeTotal[(int)b], sizeTotal[(int)b] > 0 ? (double)sizeCorrect[(int)b] / sizeTotal[(int)b] : null))
            .ToList();

        var confusions = new List<Confusion>();
        for (int t = 0; t < k; t++)
            for (int p = 0; p < k; p++)
                if (t != p && confusion[t, p] > 0)
                    confusions.Add(new Confusion(categories.CategoryAt(t).Id, categories.CategoryAt(t).Name,
                                                 categories.CategoryAt(p).Id, categories.CategoryAt(p).Name, confusion[t, p]));
        var top = confusions.OrderByDescending(c => c.Count).ThenBy(c => c.TrueCategoryId).ThenBy(c => c.PredictedCategoryId)
                            .Take(topConfusions).ToList();

        double top1 = labels.Count > 0 ? (double)correct / labels.Count : 0;
        return new RoiEvalScores(top1, meanPerClass, bySize, perClass, top);
    }
}
