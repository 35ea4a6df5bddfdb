namespace Scrl.Detection;

/// <summary>The detector families a fine-tuning run can train; the name is what checkpoints and the CLI record.</summary>
public enum DetectorKind
{
    /// <summary>Faster R-CNN R50-FPN (appendix A.2), torchvision's fasterrcnn_resnet50_fpn.</summary>
    FasterRcnn,

    /// <summary>RetinaNet R50-FPN (appendix A.3), torchvision's retinanet_resnet50_fpn.</summary>
    RetinaNet,
}

/// <summary>Names of <see cref="DetectorKind"/> as the CLI, specs and checkpoint metadata write them.</summary>
public static class DetectorKinds
{
    private static readonly Dictionary<DetectorKind, string> Names = new()
    {
        [DetectorKind.FasterRcnn] = "faster-rcnn",
        [DetectorKind.RetinaNet] = "retinanet",
    };

    public static IReadOnlyCollection<string> All => Names.Values;

    public static string NameOf(DetectorKind kind) =>
        Names.TryGetValue(kind, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown detector");

    /// <exception cref="ArgumentException">Not one of <see cref="All"/>; the message lists them.</exception>
    public static DetectorKind Parse(string name) => TryParse(name)
        ?? throw new ArgumentException($"unknown detector '{name}'; expected one of {string.Join(", ", All)}", nameof(name));

    public static DetectorKind? TryParse(string? name) =>
        Names.Where(kv => kv.Value == name).Select(kv => (DetectorKind?)kv.Key).FirstOrDefault();
}
