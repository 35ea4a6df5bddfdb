using Scrl.Core.Data.Coco;
using Scrl.Detection.Masks;

namespace Scrl.Detection.Evaluation;

/// <summary>
/// Mask IoU of COCO's <c>segm</c> evaluation: pycocotools' <c>maskUtils.iou</c> on run-length masks, with the
/// ground truth converted by <c>annToRLE</c> at its image's size. Against a crowd the union is the detection's area.
/// </summary>
/// <remarks>Mirrors cocodataset/cocoapi cocoeval.py <c>computeIoU</c> (segm) and maskApi.c <c>rleIou</c>.</remarks>
public sealed class MaskIouComputer : IIouComputer
{
    private readonly Rle[] _gtMasks;
    private readonly RleBox[] _gtBoxes;
    private readonly bool[] _gtCrowd;
    private readonly Rle[] _dtMasks;
    private readonly RleBox[] _dtBoxes;
    private readonly double[] _dtAreas;

    /// <param name="gtMasks">Ground-truth masks, [G].</param>
    /// <param name="gtCrowd">Ground-truth crowd flags, [G].</param>
    /// <param name="dtMasks">Detection masks, [D].</param>
    /// <param name="dtAreas">Detection areas as <c>loadRes</c> sets them, [D].</param>
    public MaskIouComputer(IReadOnlyList<Rle> gtMasks, IReadOnlyList<bool> gtCrowd, IReadOnlyList<Rle> dtMasks, IReadOnlyList<double> dtAreas)
    {
        if (gtCrowd.Count != gtMasks.Count || dtAreas.Count != dtMasks.Count)
            throw new ArgumentException($"{gtMasks.Count} ground-truth masks with {gtCrowd.Count} crowd flags, {dtMasks.Count} detection masks with {dtAreas.Count} areas.");
        _gtMasks = [.. gtMasks];
        _gtCrowd = [.. gtCrowd];
        _dtMasks = [.. dtMasks];
        _dtAreas = [.. dtAreas];
        _gtBoxes = Array.ConvertAll(_gtMasks, RleOps.ToBbox);
        _dtBoxes = Array.ConvertAll(_dtMasks, RleOps.ToBbox);
    }

    /// <summary>
    /// The computer for validated segm inputs: ground-truth masks by <c>annToRLE</c> at each image's size, detection
    /// masks as stored, areas as <c>loadRes</c> sets them.
    /// </summary>
    /// <exception cref="InvalidDataException">A ground-truth mask cannot be read (the annotation id is named).</exception>
    public static MaskIouComputer Create(CocoGroundTruth groundTruth, IReadOnlyList<CocoDetection> detections)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        var annotations = groundTruth.FullAnnotations ?? throw new ArgumentException("segm evaluation needs the ground truth's masks.", nameof(groundTruth));
        var gtMasks = new Rle[annotations.Count];
        for (int j = 0; j < gtMasks.Length; j++) gtMasks[j] = GroundTruthMask(annotations[j], groundTruth.Images[annotations[j].ImageId]);
        var dtMasks = CocoResultAreas.MasksOf(detections);
        return new MaskIouComputer(gtMasks, annotations.Select(a => a.IsCrowd != 0).ToArray(), dtMasks, CocoResultAreas.Of(detections, dtMasks));
    }

    /// <inheritdoc/>
    public double DetectionArea(int detection) => _dtAreas[detection];

    /// <inheritdoc/>
    public void Compute(ReadOnlySpan<int> detections, ReadOnlySpan<int> groundTruths, Span<double> iou)
    {
        int gCount = groundTruths.Length;
        if (iou.Length < detections.Length * gCount)
            throw new ArgumentException($"iou holds {iou.Length} values; needs {detections.Length} x {gCount}.", nameof(iou));
        for (int d = 0; d < detections.Length; d++)
        {
            int dt = detections[d];
            for (int g = 0; g < gCount; g++)
            {
                int gt = groundTruths[g];
                iou[d * gCount + g] = RleOps.Iou(_dtMasks[dt], _dtBoxes[dt], _gtMasks[gt], _gtBoxes[gt], _gtCrowd[gt]);
            }
        }
    }

    private static Rle GroundTruthMask(CocoAnnotation annotation, CocoImage image)
    {
        try { return CocoMasks.ToRle(annotation.Segmentation!, image.Height, image.Width); }
        catch (InvalidDataException e) { throw new InvalidDataException($"Annotation {annotation.Id}: {e.Message}", e); }
    }
}
