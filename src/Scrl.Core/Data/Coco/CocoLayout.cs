namespace Scrl.Core.Data.Coco;

/// <summary>The COCO 2017 folder layout: <c>&lt;root&gt;/train2017/*.jpg</c>, <c>&lt;root&gt;/annotations/instances_train2017.json</c>.</summary>
public static class CocoLayout
{
    public const string Train = "train";
    public const string Val = "val";

    /// <summary>The image folder of <paramref name="split"/> (<c>train</c> or <c>val</c>).</summary>
    public static string ImageFolder(string root, string split) => Path.Combine(root, $"{split}2017");

    /// <summary>The instances json of <paramref name="split"/>.</summary>
    public static string AnnotationFile(string root, string split) =>
        Path.Combine(root, "annotations", $"instances_{split}2017.json");

    /// <summary>The person keypoints json of <paramref name="split"/>.</summary>
    public static string KeypointsFile(string root, string split) =>
        Path.Combine(root, "annotations", $"person_keypoints_{split}2017.json");

    /// <summary>
    /// The image folder an annotation file of this layout describes: <c>&lt;root&gt;/train2017</c> for
    /// <c>&lt;root&gt;/annotations/instances_train2017.json</c> (or <c>person_keypoints_train2017.json</c>); null for
    /// a file named otherwise.
    /// </summary>
    public static string? ImageFolderOf(string annotationFile)
    {
        string name = Path.GetFileNameWithoutExtension(annotationFile);
        string? split = AnnotationPrefixes.Where(p => name.StartsWith(p, StringComparison.Ordinal)).Select(p => name[p.Length..]).FirstOrDefault();
        return split is { Length: > 0 } && RootOf(annotationFile) is { } root ? Path.Combine(root, split) : null;
    }

    /// <summary>The dataset root of an annotation file: the folder that holds its <c>annotations/</c>; null at a file-system root.</summary>
    public static string? RootOf(string annotationFile) => Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(annotationFile)));

    private static readonly string[] AnnotationPrefixes = ["instances_", "person_keypoints_"];

    /// <summary>COCO's image file name for an id: twelve digits, zero padded.</summary>
    public static string ImageFileName(long imageId) => $"{imageId:D12}.jpg";
}
