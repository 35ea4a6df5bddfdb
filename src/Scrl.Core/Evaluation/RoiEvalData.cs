namespace Scrl.Core.Evaluation;

/// <summary>The two splits of one evaluation and the category map they share (taken from the train split).</summary>
public sealed record RoiEvalData(CategoryMap Categories, RoiSplit Train, RoiSplit Val)
{
    public static RoiEvalData Load(CocoSplitLocation train, CocoSplitLocation val, RoiEvalOptions options)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(val);
        var trainSet = train.Read();
        var categories = new CategoryMap(trainSet.Categories);
        return new RoiEvalData(categories, RoiSplit.Build(trainSet, categories, options, splitSalt: 0),
                               RoiSplit.Build(val.Read(), categories, options, splitSalt: 1));
    }
}
