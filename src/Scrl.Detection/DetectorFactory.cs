using Scrl.Core.Training;
using Scrl.Detection.Backbones;
using Scrl.Detection.RoiHeads;
using Scrl.Detection.Transform;

namespace Scrl.Detection;

/// <summary>Builds a detector of any kind with its family's defaults (torchvision's *_resnet50_fpn builders).</summary>
public static class DetectorFactory
{
    /// <param name="kind">The family.</param>
    /// <param name="numClasses">K, background included.</param>
    /// <param name="backbone">Depth, norm and trainable stages; the FPN's inputs and extra levels are the family's.</param>
    /// <param name="transform">Input sizes.</param>
    /// <param name="timer">Benchmarks only: records NMS, RoIAlign and mask pasting under <see cref="DetectionPhases"/>.</param>
    /// <param name="scoreThreshold">Detections scoring below it are dropped; null keeps torchvision's 0.05 (Sparse R-CNN: 0, as its authors).</param>
    /// <param name="proposals">Sparse R-CNN's learnable proposals; null keeps 100. The other families have none.</param>
    public static Detector Create(DetectorKind kind, int numClasses, BackboneOptions backbone, TransformOptions transform, PhaseTimer? timer = null,
                                  double? scoreThreshold = null, int? proposals = null)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        var boxHead = new BoxHeadOptions();
        boxHead = boxHead with { ScoreThreshold = scoreThreshold ?? boxHead.ScoreThreshold };
        return kind switch
        {
            DetectorKind.FasterRcnn => FasterRcnn.FromOptions(new FasterRcnnOptions
            {
                NumClasses = numClasses,
                Backbone = WithLayout(backbone, new BackboneOptions()),
                Transform = transform,
                BoxHead = boxHead,
            }, timer),
            DetectorKind.MaskRcnn => MaskRcnn.FromOptions(new MaskRcnnOptions
            {
                NumClasses = numClasses,
                Backbone = WithLayout(backbone, new BackboneOptions()),
                Transform = transform,
                BoxHead = boxHead,
            }, timer),
            DetectorKind.RetinaNet => RetinaNet.FromOptions(new RetinaNetOptions
            {
                NumClasses = numClasses,
                Backbone = WithLayout(backbone, RetinaNetOptions.BackboneLayout),
                Transform = transform,
                ScoreThreshold = boxHead.ScoreThreshold,
            }, timer),
            DetectorKind.KeypointRcnn => KeypointRcnn.FromOptions(new KeypointRcnnOptions
            {
                NumClasses = numClasses,
                Backbone = WithLayout(backbone, new BackboneOptions()),
                Transform = transform,
                BoxHead = boxHead,
            }, timer),
            DetectorKind.SparseRcnn => SparseRcnn.FromOptions(new SparseRcnnOptions
            {
                NumClasses = numClasses,
                Backbone = WithLayout(backbone, new BackboneOptions()),
                Transform = transform,
                Proposals = proposals ?? new SparseRcnnOptions().Proposals,
                ScoreThreshold = scoreThreshold ?? 0,
            }, timer),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown detector"),
        };
    }

    private static BackboneOptions WithLayout(BackboneOptions backbone, BackboneOptions layout) =>
        backbone with { ReturnedLayers = layout.ReturnedLayers, ExtraLevels = layout.ExtraLevels };
}
