using System.Text.Json.Serialization;

namespace Scrl.Core.Evaluation;

/// <summary>COCO's object-size ranges, by area in original-image pixels.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BoxSizeBucket>))]
public enum BoxSizeBucket { Small, Medium, Large }

/// <summary>Assigns boxes to <see cref="BoxSizeBucket"/>s with COCO's thresholds (32² and 96²).</summary>
public static class BoxSizes
{
    /// <summary>
    /// COCO buckets its annotations by segmentation area; we use the box area (w * h in original pixels) so that
    /// box-only datasets work too. Boxes are a little larger than masks, so a few objects move up a bucket.
    /// </summary>
    public static BoxSizeBucket Of(double area) => area < 32 * 32 ? BoxSizeBucket.Small
                                                  : area < 96 * 96 ? BoxSizeBucket.Medium
                                                  : BoxSizeBucket.Large;
}
