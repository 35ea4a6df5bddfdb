using Scrl.Core.Models;
using Scrl.Detection.Backbones;
using Scrl.Detection.RoiHeads;
using Scrl.Detection.Transform;
using static TorchSharp.torch;

namespace Scrl.Detection.Tests.Support;

/// <summary>A Keypoint R-CNN small enough for CPU tests (R18, narrow FPN and keypoint tower, 128 px), and a target for it.</summary>
/// <remarks>RPN and box-head thresholds keep their defaults: a checkpoint does not store them, so a reloaded model has them too.</remarks>
public static class TinyKeypointRcnn
{
    public const int NumKeypoints = 5;

    public static TransformOptions Transform { get; } = new() { MinSize = [TinyDetector.ImageSize], MaxSize = TinyDetector.ImageSize };

    public static KeypointRcnnOptions Options { get; } = new()
    {
        Backbone = new BackboneOptions { Variant = ResNetVariant.ResNet18, Norm = BackboneNorm.BatchNorm, TrainableLayers = 5, FpnChannels = 32 },
        Transform = Transform,
        BoxHead = new BoxHeadOptions { RepresentationSize = 128 },
        KeypointHead = new KeypointHeadOptions { NumKeypoints = NumKeypoints, Layers = [32, 32] },
    };

    /// <summary>Two people-like boxes with keypoints spread over them, all visible (v = 2).</summary>
    public static DetectionTarget Target()
    {
        var boxes = tensor(new float[] { 10, 12, 70, 110, 60, 20, 120, 90 }).view(2, 4);                  // [G, 4]
        var u = rand(2, NumKeypoints, 2, generator: new Generator(11));                                   // [G, J, 2] in [0, 1)
        var xy = boxes.narrow(1, 0, 2).unsqueeze(1) + u * (boxes.narrow(1, 2, 2) - boxes.narrow(1, 0, 2)).unsqueeze(1);
        return new DetectionTarget(boxes, tensor(new long[] { 1, 1 }), Keypoints: cat([xy, full(2, NumKeypoints, 1, 2f)], 2));   // [G, J, 3]
    }

    public static Tensor Image(int seed) => rand(3, TinyDetector.ImageSize, TinyDetector.ImageSize, generator: new Generator((ulong)seed));
}
