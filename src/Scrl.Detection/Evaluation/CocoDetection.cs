namespace Scrl.Detection.Evaluation;

/// <summary>One entry of a COCO results json: a scored box, <see cref="Bbox"/> = [x, y, width, height] in pixels.</summary>
public sealed record CocoDetection(long ImageId, int CategoryId, IReadOnlyList<double> Bbox, double Score);
