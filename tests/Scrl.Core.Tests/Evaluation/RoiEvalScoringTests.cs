using Scrl.Core.Data.Datasets;
using Scrl.Core.Evaluation;

namespace Scrl.Core.Tests.Evaluation;

public sealed class RoiEvalScoringTests
{
    [Fact]
    public void Score_KnownPredictions_GiveTop1MeanClassSizesAndConfusionsUnderCocoIds()
    {
        var map = new CategoryMap([new(1, "person"), new(18, "dog"), new(44, "bottle")]);
        long[] labels = [0, 0, 0, 0, 1, 1, 2, 2];
        long[] predicted = [0, 0, 0, 1, 1, 0, 1, 1];
        BoxSizeBucket[] sizes = [BoxSizeBucket.Small, BoxSizeBucket.Small, BoxSizeBucket.Large, BoxSizeBucket.Large,
                                 BoxSizeBucket.Large, BoxSizeBucket.Large, BoxSizeBucket.Small, BoxSizeBucket.Large];

        var scores = RoiEvalScoring.Score(predicted, labels, sizes, map);

        Assert.Equal(4 / 8.0, scores.Top1);
        Assert.Equal((3 / 4.0 + 1 / 2.0 + 0) / 3, scores.MeanPerClassAccuracy, 12);
        Assert.Equal([(1, 4, 0.75), (18, 2, 0.5), (44, 2, 0.0)],
                     scores.PerClass.Select(c => (c.CategoryId, c.Count, c.Top1!.Value)));
        Assert.Equal(new SizeAccuracy(BoxSizeBucket.Small, 3, 2 / 3.0), scores.BySize[0]);
        Assert.Equal(new SizeAccuracy(BoxSizeBucket.Medium, 0, null), scores.BySize[1]);
        Assert.Equal(new SizeAccuracy(BoxSizeBucket.Large, 5, 2 / 5.0), scores.BySize[2]);
        Assert.Equal(new Confusion(44, "bottle", 18, "dog", 2), scores.TopConfusions[0]);
        Assert.Equal([(1, 18), (18, 1)], scores.TopConfusions.Skip(1).Select(c => (c.TrueCategoryId, c.PredictedCategoryId)));
    }
}
