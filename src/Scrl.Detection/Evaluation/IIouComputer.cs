namespace Scrl.Detection.Evaluation;

/// <summary>
/// The overlap measure of one COCO iouType. Boxes use <see cref="BoxIouComputer"/>; masks (RLE IoU) and keypoints
/// (OKS) plug in here. An implementation is bound to one ground-truth annotation list and one detection list and
/// is addressed by indices into them.
/// </summary>
public interface IIouComputer
{
    /// <summary>The detection's area, tested against area ranges when it matches nothing (bbox: w * h).</summary>
    double DetectionArea(int detection);

    /// <summary>Fills <paramref name="iou"/>[d * G + g] for every detection d and ground truth g given, G = groundTruths.Length.</summary>
    void Compute(ReadOnlySpan<int> detections, ReadOnlySpan<int> groundTruths, Span<double> iou);
}
