using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Datasets;

namespace Scrl.Detection.Training;

/// <summary>Downstream detection benchmarks.</summary>
public enum FinetuneTask
{
    /// <summary>COCO 2017 detection, evaluated with COCO AP.</summary>
    CocoDet,

    /// <summary>PASCAL VOC 07+12 detection, evaluated on VOC 2007 test (AP50 and COCO-style AP).</summary>
    VocDet,
}

/// <summary>
/// Everything a task implies, in one place: its name, dataset layout, default splits and schedule. The evaluator
/// follows the layout (<see cref="Evaluation.DetectionScoring"/>: pycocotools for COCO, detectron2's VOC protocol).
/// </summary>
public static class FinetuneTasks
{
    private static readonly NamedValues<FinetuneTask> Names = new(new Dictionary<FinetuneTask, string>
    {
        [FinetuneTask.CocoDet] = "coco-det",
        [FinetuneTask.VocDet] = "voc-det",
    }, "task");

    public static IReadOnlyCollection<string> All => Names.All;

    public static string NameOf(FinetuneTask task) => Names.NameOf(task);

    /// <exception cref="ArgumentException">Not one of <see cref="All"/>; the message lists them.</exception>
    public static FinetuneTask Parse(string name) => Names.Parse(name);

    public static DatasetFormat FormatOf(FinetuneTask task) => task == FinetuneTask.VocDet ? DatasetFormat.Voc : DatasetFormat.Coco;

    public static string TrainSplitOf(FinetuneTask task) => task == FinetuneTask.VocDet ? "trainval" : CocoLayout.Train;

    public static string ValSplitOf(FinetuneTask task) => task == FinetuneTask.VocDet ? "test" : CocoLayout.Val;

    /// <summary>The appendix schedule of the task: COCO 1x, VOC 18k.</summary>
    public static string DefaultScheduleOf(FinetuneTask task) => task == FinetuneTask.VocDet ? "voc" : "1x";
}
