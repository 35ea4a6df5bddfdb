using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Datasets;

namespace Scrl.Detection.Training;

/// <summary>Downstream benchmarks of the paper's appendix.</summary>
public enum FinetuneTask
{
    /// <summary>COCO 2017 detection (A.2, A.3), evaluated with COCO box AP.</summary>
    CocoDet,

    /// <summary>PASCAL VOC 07+12 detection (A.2), evaluated on VOC 2007 test (AP50 and COCO-style AP).</summary>
    VocDet,

    /// <summary>COCO 2017 instance segmentation (A.4), evaluated with COCO box and mask AP.</summary>
    CocoInstances,

    /// <summary>COCO 2017 person keypoints (A.5), evaluated with COCO box and keypoint (OKS) AP.</summary>
    CocoKeypoints,

    /// <summary>Cityscapes fine instance segmentation (A.6), evaluated with Cityscapes' instance-level AP and AP50.</summary>
    CityscapesInstances,
}

/// <summary>
/// Everything a task implies, in one place: its name, dataset layout, default splits, schedule and detectors. The
/// evaluator follows the task (<see cref="Evaluation.DetectionScoring"/>).
/// </summary>
public static class FinetuneTasks
{
    private static readonly NamedValues<FinetuneTask> Names = new(new Dictionary<FinetuneTask, string>
    {
        [FinetuneTask.CocoDet] = "coco-det",
        [FinetuneTask.VocDet] = "voc-det",
        [FinetuneTask.CocoInstances] = "coco-instances",
        [FinetuneTask.CocoKeypoints] = "coco-keypoints",
        [FinetuneTask.CityscapesInstances] = "cityscapes-instances",
    }, "task");

    public static IReadOnlyCollection<string> All => Names.All;

    public static string NameOf(FinetuneTask task) => Names.NameOf(task);

    /// <exception cref="ArgumentException">Not one of <see cref="All"/>; the message lists them.</exception>
    public static FinetuneTask Parse(string name) => Names.Parse(name);

    public static DatasetFormat FormatOf(FinetuneTask task) => task switch
    {
        FinetuneTask.VocDet => DatasetFormat.Voc,
        FinetuneTask.CocoKeypoints => DatasetFormat.CocoKeypoints,
        FinetuneTask.CityscapesInstances => DatasetFormat.Cityscapes,
        _ => DatasetFormat.Coco,
    };

    public static string TrainSplitOf(FinetuneTask task) => task switch
    {
        FinetuneTask.VocDet => "trainval",
        FinetuneTask.CityscapesInstances => "train",
        _ => CocoLayout.Train,
    };

    public static string ValSplitOf(FinetuneTask task) => task switch
    {
        FinetuneTask.VocDet => "test",
        FinetuneTask.CityscapesInstances => "val",
        _ => CocoLayout.Val,
    };

    /// <summary>The appendix schedule of the task: COCO 1x (A.2-A.5) or 3x for Sparse R-CNN (E), VOC 18k (A.2), Cityscapes 24k (A.6).</summary>
    public static string DefaultScheduleOf(FinetuneTask task, DetectorKind detector = DetectorKind.FasterRcnn) => task switch
    {
        FinetuneTask.VocDet => "voc",
        FinetuneTask.CityscapesInstances => "cityscapes",
        _ when detector == DetectorKind.SparseRcnn => "3x",
        _ => "1x",
    };

    /// <summary>The detectors the task's evaluation fits, the appendix's first.</summary>
    public static IReadOnlyList<DetectorKind> DetectorsOf(FinetuneTask task) => task switch
    {
        FinetuneTask.CocoInstances or FinetuneTask.CityscapesInstances => [DetectorKind.MaskRcnn],
        FinetuneTask.CocoKeypoints => [DetectorKind.KeypointRcnn],
        _ => [DetectorKind.FasterRcnn, DetectorKind.RetinaNet, DetectorKind.SparseRcnn],
    };

    /// <summary><paramref name="detector"/>, or the task's default when null.</summary>
    /// <exception cref="ArgumentException">The task cannot score that detector's output.</exception>
    public static DetectorKind DetectorFor(FinetuneTask task, DetectorKind? detector)
    {
        var allowed = DetectorsOf(task);
        if (detector is null) return allowed[0];
        if (!allowed.Contains(detector.Value))
            throw new ArgumentException($"{NameOf(task)} fine-tunes {string.Join(" or ", allowed.Select(DetectorKinds.NameOf))}, not {DetectorKinds.NameOf(detector.Value)}");
        return detector.Value;
    }
}
