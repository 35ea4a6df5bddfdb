namespace Scrl.Detection;

/// <summary>The detector families a fine-tuning run can train; the name is what checkpoints and the CLI record.</summary>
public enum DetectorKind
{
    /// <summary>Faster R-CNN R50-FPN (appendix A.2), torchvision's fasterrcnn_resnet50_fpn.</summary>
    FasterRcnn,

    /// <summary>RetinaNet R50-FPN (appendix A.3), torchvision's retinanet_resnet50_fpn.</summary>
    RetinaNet,

    /// <summary>Mask R-CNN R50-FPN (appendix A.4, A.6), torchvision's maskrcnn_resnet50_fpn.</summary>
    MaskRcnn,

    /// <summary>Keypoint R-CNN R50-FPN (appendix A.5), torchvision's keypointrcnn_resnet50_fpn.</summary>
    KeypointRcnn,

    /// <summary>Sparse R-CNN R50-FPN (appendix E): learned proposals, set prediction, no NMS (the authors' SparseR-CNN).</summary>
    SparseRcnn,
}

/// <summary>Names of <see cref="DetectorKind"/> as the CLI, specs and checkpoint metadata write them.</summary>
public static class DetectorKinds
{
    private static readonly NamedValues<DetectorKind> Names = new(new Dictionary<DetectorKind, string>
    {
        [DetectorKind.FasterRcnn] = "faster-rcnn",
        [DetectorKind.RetinaNet] = "retinanet",
        [DetectorKind.MaskRcnn] = "mask-rcnn",
        [DetectorKind.KeypointRcnn] = "keypoint-rcnn",
        [DetectorKind.SparseRcnn] = "sparse-rcnn",
    }, "detector");

    public static IReadOnlyCollection<string> All => Names.All;

    public static string NameOf(DetectorKind kind) => Names.NameOf(kind);

    /// <exception cref="ArgumentException">Not one of <see cref="All"/>; the message lists them.</exception>
    public static DetectorKind Parse(string name) => Names.Parse(name);

    public static DetectorKind? TryParse(string? name) => Names.TryParse(name);

    /// <summary>The annotations beyond boxes and labels that the detector trains on.</summary>
    public static TargetExtras ExtrasOf(DetectorKind kind) => kind switch
    {
        DetectorKind.MaskRcnn => TargetExtras.Masks,
        DetectorKind.KeypointRcnn => TargetExtras.Keypoints,
        _ => TargetExtras.None,
    };
}

/// <summary>Annotations a detector needs besides boxes and labels.</summary>
[Flags]
public enum TargetExtras
{
    None = 0,

    /// <summary>Instance masks (COCO polygons or RLE).</summary>
    Masks = 1,

    /// <summary>Keypoints [x, y, v] per instance.</summary>
    Keypoints = 2,
}
