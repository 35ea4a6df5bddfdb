using System.Globalization;

namespace Scrl.Detection.Evaluation;

/// <summary>
/// One detection as <c>voc_eval</c> reads it from detectron2's per-class text file: 1-based xyxy corners and a score,
/// each already rounded by that file's text format.
/// </summary>
public sealed record VocDetection(string ImageId, int ClassIndex, double Score, double X1, double Y1, double X2, double Y2)
{
    /// <summary>
    /// What detectron2's <c>PascalVOCDetectionEvaluator.process</c> writes for a model output: 0-based float32 xyxy,
    /// x1 and y1 shifted by +1 in float32 (undoing the dataset loader's -1), then printed with
    /// <c>{score:.3f} {x:.1f}</c> and parsed back. The rounding makes scores tie; reproducing it keeps AP identical.
    /// </summary>
    public static VocDetection FromModelOutput(string imageId, int classIndex, float score, float x1, float y1, float x2, float y2) =>
        new(imageId, classIndex, Text(score, 3), Text(x1 + 1f, 1), Text(y1 + 1f, 1), Text(x2, 1), Text(y2, 1));

    private static double Text(double value, int digits) =>
        double.Parse(PythonFormat.Fixed(value, digits), NumberStyles.Float, CultureInfo.InvariantCulture);
}
