using Scrl.Core.Data.Coco;

namespace Scrl.Detection.Evaluation;

/// <summary>
/// Object keypoint similarity of COCO's <c>keypoints</c> evaluation, pycocotools' <c>computeOks</c> operation for
/// operation: e = d² / (2σ)² / (area + eps) / 2 per keypoint, OKS = mean of exp(-e) over the ground truth's labelled
/// keypoints; a ground truth with none labelled measures each predicted point's distance to its box grown by its
/// size on every side, over all keypoints.
/// </summary>
/// <remarks>Mirrors cocodataset/cocoapi PythonAPI/pycocotools/cocoeval.py <c>COCOeval.computeOks</c>.</remarks>
public sealed class KeypointOksComputer : IIouComputer
{
    private readonly IReadOnlyList<CocoAnnotation> _gt;
    private readonly IReadOnlyList<CocoDetection> _dts;
    private readonly double[] _vars;       // [K] (2σ)²
    private readonly double[] _dtAreas;

    /// <param name="groundTruth">Annotations with keypoints [3K], bbox and area.</param>
    /// <param name="detections">Results with keypoints [3K].</param>
    /// <param name="sigmas">Per-keypoint sigmas, [K].</param>
    /// <param name="dtAreas">Detection areas as <c>loadRes</c> sets them, [D].</param>
    public KeypointOksComputer(IReadOnlyList<CocoAnnotation> groundTruth, IReadOnlyList<CocoDetection> detections, IReadOnlyList<double> sigmas, IReadOnlyList<double> dtAreas)
    {
        _gt = groundTruth;
        _dts = detections;
        _vars = sigmas.Select(s => (s * 2) * (s * 2)).ToArray();
        _dtAreas = [.. dtAreas];
    }

    /// <summary>The computer for validated keypoint inputs, detection areas as <c>loadRes</c> sets them.</summary>
    public static KeypointOksComputer Create(CocoGroundTruth groundTruth, IReadOnlyList<CocoDetection> detections, IReadOnlyList<double> sigmas)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        var annotations = groundTruth.FullAnnotations ?? throw new ArgumentException("keypoint evaluation needs the ground truth's keypoints.", nameof(groundTruth));
        var masks = CocoResultAreas.SourceOf(detections) == CocoResultAreaSource.Mask ? CocoResultAreas.MasksOf(detections) : null;
        return new KeypointOksComputer(annotations, detections, sigmas, CocoResultAreas.Of(detections, masks));
    }

    /// <inheritdoc/>
    public double DetectionArea(int detection) => _dtAreas[detection];

    /// <inheritdoc/>
    public void Compute(ReadOnlySpan<int> detections, ReadOnlySpan<int> groundTruths, Span<double> iou)
    {
        int gCount = groundTruths.Length, k = _vars.Length;
        if (iou.Length < detections.Length * gCount)
            throw new ArgumentException($"iou holds {iou.Length} values; needs {detections.Length} x {gCount}.", nameof(iou));
        Span<double> e = stackalloc double[k];
        for (int g = 0; g < gCount; g++)
        {
            var gt = _gt[groundTruths[g]];
            IReadOnlyList<double> kg = gt.Keypoints!, bb = gt.Bbox;
            int labelled = 0;
            for (int j = 0; j < k; j++)
                if (kg[3 * j + 2] > 0) labelled++;
            // Bounds of the region a gt without labelled points accepts: its box grown by its size on every side.
            double x0 = bb[0] - bb[2], x1 = bb[0] + bb[2] * 2, y0 = bb[1] - bb[3], y1 = bb[1] + bb[3] * 2;
            double scale = gt.Area + NumpySemantics.Eps;
            for (int d = 0; d < detections.Length; d++)
            {
                IReadOnlyList<double> kd = _dts[detections[d]].Keypoints!;
                int n = 0;
                for (int j = 0; j < k; j++)
                {
                    double dx, dy;
                    if (labelled > 0)
                    {
                        if (!(kg[3 * j + 2] > 0)) continue;             // e[vg > 0]
                        dx = kd[3 * j] - kg[3 * j];
                        dy = kd[3 * j + 1] - kg[3 * j + 1];
                    }
                    else
                    {
                        dx = Math.Max(0, x0 - kd[3 * j]) + Math.Max(0, kd[3 * j] - x1);
                        dy = Math.Max(0, y0 - kd[3 * j + 1]) + Math.Max(0, kd[3 * j + 1] - y1);
                    }
                    e[n++] = Math.Exp(-((dx * dx + dy * dy) / _vars[j] / scale / 2));
                }
                iou[d * gCount + g] = NumpySemantics.Sum(e[..n]) / n;
            }
        }
    }
}
