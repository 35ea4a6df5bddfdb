namespace Scrl.Detection.Evaluation;

/// <summary>The names pycocotools and our CLI give each <see cref="CocoIouType"/>.</summary>
public static class CocoIouTypes
{
    /// <summary><c>bbox</c>, <c>segm</c> or <c>keypoints</c>.</summary>
    public static string NameOf(CocoIouType type) => type switch
    {
        CocoIouType.Bbox => "bbox",
        CocoIouType.Segm => "segm",
        CocoIouType.Keypoints => "keypoints",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The type named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Not bbox, segm or keypoints.</exception>
    public static CocoIouType Parse(string name) => name switch
    {
        "bbox" => CocoIouType.Bbox,
        "segm" => CocoIouType.Segm,
        "keypoints" => CocoIouType.Keypoints,
        _ => throw new ArgumentException($"iou type must be bbox, segm or keypoints, was '{name}'", nameof(name)),
    };
}
