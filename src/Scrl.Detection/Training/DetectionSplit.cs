using Scrl.Core.Data.Datasets;

namespace Scrl.Detection.Training;

/// <summary>One split of a detection dataset on disk: a COCO root (<c>annotations/</c>, <c>{split}2017/</c>) or a VOC folder.</summary>
public sealed record DetectionSplit(DatasetFormat Format, string Root, string Split)
{
    /// <summary>The task's layout and default split under <paramref name="root"/>.</summary>
    public static DetectionSplit Train(FinetuneTask task, string root, string? split = null) =>
        new(FinetuneTasks.FormatOf(task), root, split ?? FinetuneTasks.TrainSplitOf(task));

    /// <inheritdoc cref="Train"/>
    public static DetectionSplit Val(FinetuneTask task, string root, string? split = null) =>
        new(FinetuneTasks.FormatOf(task), root, split ?? FinetuneTasks.ValSplitOf(task));

    public ImageDataset Read() => DatasetReaders.Read(Format, Root, Split);
}
