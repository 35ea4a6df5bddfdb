using System.Text.Json.Serialization;

namespace Scrl.Core.Data.Coco;

/// <summary>A COCO <c>instances_*.json</c> file: images, object annotations and categories.</summary>
/// <remarks>Real COCO files carry <c>info</c>; some subsets (coco-tiny) drop it, so it may be null.</remarks>
public sealed record CocoInstances(
    CocoInfo? Info,
    IReadOnlyList<CocoImage> Images,
    IReadOnlyList<CocoAnnotation> Annotations,
    IReadOnlyList<CocoCategory> Categories);

/// <summary>
/// The <c>info</c> block. Real COCO fills only the standard keys; generated data also sets
/// <see cref="Synthetic"/>, <see cref="Generator"/> and <see cref="Seed"/> so no one mistakes it for real images.
/// </summary>
public sealed record CocoInfo(
    string Description,
    string Version,
    [property: JsonPropertyName("date_created")] string? DateCreated = null,
    bool? Synthetic = null,
    string? Generator = null,
    long? Seed = null);

/// <summary>One image entry; <see cref="FileName"/> is relative to the split's image folder.</summary>
public sealed record CocoImage(
    long Id,
    [property: JsonPropertyName("file_name")] string FileName,
    int Width,
    int Height);

/// <summary>
/// One object instance. <see cref="Bbox"/> is [x, y, width, height] in pixels; <see cref="Segmentation"/> holds
/// polygons in pixels or, for crowd regions, a run-length mask; <see cref="Area"/> is the area of the segmentation.
/// <see cref="Keypoints"/> is [x1, y1, v1, ...] for person keypoint files, with <see cref="NumKeypoints"/> labelled.
/// </summary>
public sealed record CocoAnnotation(
    long Id,
    [property: JsonPropertyName("image_id")] long ImageId,
    [property: JsonPropertyName("category_id")] int CategoryId,
    IReadOnlyList<double> Bbox,
    CocoSegmentation? Segmentation,
    double Area,
    [property: JsonPropertyName("iscrowd")] int IsCrowd,
    IReadOnlyList<double>? Keypoints = null,
    [property: JsonPropertyName("num_keypoints")] int? NumKeypoints = null);

/// <summary>One category; ids are 1-based as in COCO. Keypoint files also name the keypoints and their skeleton.</summary>
public sealed record CocoCategory(
    int Id,
    string Name,
    string? Supercategory,
    IReadOnlyList<string>? Keypoints = null,
    IReadOnlyList<IReadOnlyList<int>>? Skeleton = null);

/// <summary>Only the image list of an instances file; skips parsing the (large) annotation list.</summary>
public sealed record CocoImageIndex(IReadOnlyList<CocoImage>? Images);
