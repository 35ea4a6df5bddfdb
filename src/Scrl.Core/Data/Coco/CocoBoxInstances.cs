using System.Text.Json.Serialization;

namespace Scrl.Core.Data.Coco;

/// <summary>
/// An instances file read for its boxes only: the same images and categories as <see cref="CocoInstances"/>, but
/// annotations without <c>segmentation</c>, because real COCO stores crowd masks as RLE objects, which the polygon
/// list of <see cref="CocoAnnotation"/> cannot hold. Box evaluation and box-only training read files this way.
/// </summary>
public sealed record CocoBoxInstances(
    IReadOnlyList<CocoImage> Images,
    IReadOnlyList<CocoBoxAnnotation> Annotations,
    IReadOnlyList<CocoCategory> Categories);

/// <summary>
/// One object instance without its mask. <see cref="Bbox"/> is [x, y, width, height] in pixels; <see cref="Area"/>
/// is the area of the segmentation (not width * height), which COCO's area ranges use.
/// </summary>
public sealed record CocoBoxAnnotation(
    long Id,
    [property: JsonPropertyName("image_id")] long ImageId,
    [property: JsonPropertyName("category_id")] int CategoryId,
    IReadOnlyList<double> Bbox,
    double Area,
    [property: JsonPropertyName("iscrowd")] int IsCrowd);
