using Scrl.Core.Interop;
using Scrl.Core.Models;
using Scrl.Core.Training.Checkpoints;
using Scrl.Detection.Backbones;
using Scrl.Detection.RoiHeads;
using Scrl.Detection.Transform;
using static TorchSharp.torch;

namespace Scrl.Detection;

/// <summary>Rebuilds a <see cref="FasterRcnn"/> from a fine-tuning checkpoint, reading its architecture from the tensor shapes.</summary>
/// <remarks>
/// Checkpoints carry tensors, not options, so the widths and depth are read back from the keys torchvision fixes:
/// classes from cls_score, fc6 width, FPN channels, ResNet depth from the blocks present, and the norm from which
/// buffers exist. RPN and box-head thresholds are not stored and take their defaults.
/// </remarks>
public static class FasterRcnnCheckpoint
{
    /// <summary>Keys under this prefix are trainer state (SGD momentum), not model weights.</summary>
    public const string OptimizerPrefix = "optimizer.";

    /// <summary>Loads <paramref name="path"/> strictly into a model built from its shapes, set to eval mode.</summary>
    /// <exception cref="CheckpointMismatchException">The keys or shapes are not a Faster R-CNN this code builds.</exception>
    public static FasterRcnn Load(string path, TransformOptions transform)
    {
        using var checkpoint = CheckpointStore.Load(path);
        var weights = ModelWeights(checkpoint.Tensors);
        var model = FasterRcnn.FromOptions(InferOptions(weights, transform));
        try
        {
            BackboneLoad.Into(model, weights);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.eval();
        return model;
    }

    /// <summary>The model's part of a trainer checkpoint.</summary>
    public static IReadOnlyDictionary<string, Tensor> ModelWeights(IReadOnlyDictionary<string, Tensor> tensors) =>
        tensors.Where(kv => !kv.Key.StartsWith(OptimizerPrefix, StringComparison.Ordinal)).ToDictionary();

    /// <summary>Options whose model has exactly the shapes in <paramref name="weights"/> (when it is a Faster R-CNN at all).</summary>
    public static FasterRcnnOptions InferOptions(IReadOnlyDictionary<string, Tensor> weights, TransformOptions transform)
    {
        long Dim(string key, int dim) => weights.TryGetValue(key, out var t) ? t.shape[dim]
            : throw new CheckpointMismatchException("reading the Faster R-CNN architecture from a checkpoint", [key], []);
        bool Has(string key) => weights.ContainsKey(key);

        const string body = "backbone.body.";
        var variant = !Has(body + "layer1.0.conv3.weight") ? (Has(body + "layer1.2.conv1.weight") ? ResNetVariant.ResNet34 : ResNetVariant.ResNet18)
            : Has(body + "layer3.6.conv1.weight") ? ResNetVariant.ResNet101 : ResNetVariant.ResNet50;
        var norm = Has(body + "bn1.num_batches_tracked") ? BackboneNorm.BatchNorm
            : Has(body + "bn1.running_mean") ? BackboneNorm.FrozenBatchNorm : BackboneNorm.GroupNorm;
        return new FasterRcnnOptions
        {
            NumClasses = (int)Dim("roi_heads.box_predictor.cls_score.weight", 0),
            Backbone = new BackboneOptions { Variant = variant, Norm = norm, FpnChannels = Dim("backbone.fpn.inner_blocks.0.0.weight", 0) },
            Transform = transform,
            BoxHead = new BoxHeadOptions { RepresentationSize = (int)Dim("roi_heads.box_head.fc6.weight", 0) },
        };
    }
}
