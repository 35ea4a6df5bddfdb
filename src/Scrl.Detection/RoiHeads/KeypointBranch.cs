using Scrl.Core.Training;
using Scrl.Detection.Poolers;
using static TorchSharp.torch;

namespace Scrl.Detection.RoiHeads;

// Shapes: N images, P_i positives / D_i detections of image i, C FPN channels, S x S pooled (14), J keypoints,
// M x M heatmaps (56). Boxes and keypoints xyxy / xy px of the resized image.

/// <summary>Keypoint R-CNN's RoI branch: pools the positives (training) or detections (testing), predicts J heatmaps each.</summary>
/// <remarks>
/// Mirrors the keypoint part of torchvision models/detection/roi_heads.py RoIHeads.forward: keypoint_roi_pool (not a
/// module), keypoint_head (<see cref="KeypointRcnnHeads"/>) and keypoint_predictor (<see cref="KeypointRcnnPredictor"/>),
/// registered on the RoI heads as roi_heads.keypoint_head.* and roi_heads.keypoint_predictor.*. Loss: loss_keypoint.
/// </remarks>
public sealed class KeypointBranch : RoiBranch
{
    /// <summary>torchvision's loss-dict key.</summary>
    public const string LossName = "loss_keypoint";

    private readonly MultiScaleRoiAlign _pool;
    private readonly KeypointRcnnHeads _head;
    private readonly KeypointRcnnPredictor _predictor;

    public KeypointBranch(MultiScaleRoiAlign pool, KeypointRcnnHeads head, KeypointRcnnPredictor predictor)
        : base("keypoint", head, predictor)
    {
        _pool = pool;
        _head = head;
        _predictor = predictor;
    }

    /// <summary>J.</summary>
    public int NumKeypoints => _predictor.NumKeypoints;

    /// <summary>The branch keypointrcnn_resnet50_fpn builds: MultiScaleRoIAlign(['0'..'3'], 14, 2), the conv tower, the predictor.</summary>
    /// <param name="inChannels">C, the FPN width.</param>
    public static KeypointBranch FromOptions(long inChannels, KeypointHeadOptions options, PhaseTimer? timer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var pool = new MultiScaleRoiAlign(["0", "1", "2", "3"], options.PoolSize, options.SamplingRatio, timer);
        var head = new KeypointRcnnHeads(inChannels, options.Layers);
        return new KeypointBranch(pool, head, new KeypointRcnnPredictor(head.OutChannels, options.NumKeypoints));
    }

    /// <exception cref="ArgumentException">A target has no keypoints.</exception>
    public override IReadOnlyDictionary<string, Tensor> Losses(IReadOnlyDictionary<string, Tensor> features, IReadOnlyList<PositiveProposals> positives,
        IReadOnlyList<(long Height, long Width)> imageSizes, IReadOnlyList<DetectionTarget> targets)
    {
        var gtKeypoints = targets.Select((t, i) => t.Keypoints
            ?? throw new ArgumentException($"targets[{i}] has no keypoints; a keypoint branch trains on [G, J, 3] keypoints", nameof(targets))).ToList();
        var boxes = positives.Select(p => p.Boxes).ToList();
        var logits = Heatmaps(features, boxes, imageSizes);                                         // [P, J, M, M]
        var loss = KeypointRcnnLoss.Compute(logits, boxes, gtKeypoints, positives.Select(p => p.MatchedTarget).ToList());
        return new Dictionary<string, Tensor> { [LossName] = loss };
    }

    public override IReadOnlyList<Detections> Annotate(IReadOnlyDictionary<string, Tensor> features, IReadOnlyList<Detections> detections,
        IReadOnlyList<(long Height, long Width)> imageSizes)
    {
        var boxes = detections.Select(d => d.Boxes).ToList();
        long total = boxes.Sum(b => b.shape[0]);
        var logits = total == 0 ? null : Heatmaps(features, boxes, imageSizes);                     // [D, J, M, M]
        var result = new List<Detections>(detections.Count);
        long offset = 0;
        foreach (var d in detections)
        {
            long count = d.Boxes.shape[0];
            var (keypoints, scores) = logits is null
                ? (zeros([0, NumKeypoints, 3], d.Boxes.dtype, d.Boxes.device), zeros([0, NumKeypoints], d.Boxes.dtype, d.Boxes.device))
                : KeypointHeatmaps.ToKeypoints(logits.narrow(0, offset, count), d.Boxes);
            result.Add(d with { Keypoints = keypoints, KeypointScores = scores });
            offset += count;
        }
        return result;
    }

    /// <returns>Heatmap logits [R, J, M, M] of every image's boxes, in image order.</returns>
    private Tensor Heatmaps(IReadOnlyDictionary<string, Tensor> features, IReadOnlyList<Tensor> boxes, IReadOnlyList<(long Height, long Width)> imageSizes)
    {
        var pooled = _pool.Pool(features, boxes, imageSizes);                                       // [R, C, S, S]
        return _predictor.call(_head.call(pooled));
    }
}
