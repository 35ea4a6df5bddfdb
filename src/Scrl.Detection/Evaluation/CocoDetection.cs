using System.Text.Json.Serialization;
using Scrl.Core.Data.Coco;

namespace Scrl.Detection.Evaluation;

/// <summary>
/// One entry of a COCO results json: a scored box <see cref="Bbox"/> = [x, y, width, height] in pixels, and for
/// instance segmentation or keypoint results its mask or keypoints. Segmentation results may leave the box out.
/// </summary>
public sealed record CocoDetection(
    long ImageId,
    int CategoryId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<double>? Bbox,
    double Score)
{
    /// <summary>The mask at the image's size, as COCO results carry it (string counts); null for box results.</summary>
    [JsonConverter(typeof(CocoRleJsonConverter))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CocoRle? Segmentation { get; init; }

    /// <summary>[x1, y1, v1, ..., x17, y17, v17] in pixels for person keypoint results; null otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<double>? Keypoints { get; init; }
}
