namespace Scrl.Detection.Evaluation;

/// <summary>
/// One object of a VOC annotation XML: box corners in VOC's 1-based, inclusive pixel coordinates (as written in the
/// file), and the <c>difficult</c> flag that makes it neither a hit nor a miss.
/// </summary>
public sealed record VocGroundTruthBox(string ImageId, int ClassIndex, double X1, double Y1, double X2, double Y2, bool Difficult);
