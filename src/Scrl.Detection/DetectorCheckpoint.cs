using Scrl.Core.Interop;
using Scrl.Core.Models;
using Scrl.Core.Training.Checkpoints;
using Scrl.Detection.Backbones;
using Scrl.Detection.Transform;
using TorchSharp;
using static TorchSharp.torch;

namespace Scrl.Detection;

/// <summary>Rebuilds the detector a fine-tuning checkpoint holds: its kind from the metadata, its shapes from the tensors.</summary>
public static class DetectorCheckpoint
{
    /// <summary>Keys under this prefix are trainer state (SGD momentum), not model weights.</summary>
    public const string OptimizerPrefix = "optimizer.";

    /// <summary>Loads <paramref name="path"/> strictly into the detector it records, set to eval mode.</summary>
    /// <param name="expected">The kind the caller needs; null takes whichever the checkpoint holds.</param>
    /// <param name="device">Where to build the detector; null is the CPU.</param>
    /// <exception cref="DetectorMismatchException">The file is no fine-tuning checkpoint (a torchvision .pth), records no detector, or another one than <paramref name="expected"/>.</exception>
    /// <exception cref="CheckpointMismatchException">The keys or shapes are not a detector this code builds.</exception>
    public static Detector Load(string path, TransformOptions transform, DetectorKind? expected = null, Device? device = null)
    {
        if (File.Exists(path) && !File.Exists(Path.ChangeExtension(path, ".json")))
            throw new DetectorMismatchException(
                $"'{path}' is no fine-tuned detector: {(expected is { } wanted ? $"a {DetectorKinds.NameOf(wanted)} model" : "a detector")} is a checkpoint that " +
                $"scrl finetune writes (step-N.ckpt with its .json); a torchvision state dict or a pretrained backbone is fine-tuned first " +
                $"(scrl finetune --backbone '{path}')");
        using var checkpoint = CheckpointStore.Load(path);
        var kind = KindOf(checkpoint, expected);
        var weights = ModelWeights(checkpoint.Tensors);
        Detector model = kind switch
        {
            DetectorKind.FasterRcnn => FasterRcnn.FromOptions(FasterRcnnCheckpoint.InferOptions(weights, transform)),
            DetectorKind.RetinaNet => RetinaNet.FromOptions(RetinaNetCheckpoint.InferOptions(weights, transform)),
            DetectorKind.MaskRcnn => MaskRcnn.FromOptions(MaskRcnnCheckpoint.InferOptions(weights, transform)),
            DetectorKind.KeypointRcnn => KeypointRcnn.FromOptions(KeypointRcnnCheckpoint.InferOptions(weights, transform)),
            DetectorKind.SparseRcnn => SparseRcnn.FromOptions(SparseRcnnCheckpoint.InferOptions(weights, transform)),
            _ => throw new ArgumentOutOfRangeException(nameof(expected), kind, "unknown detector"),
        };
        try
        {
            BackboneLoad.Into(model, weights);
            if (device is not null) model.to(device);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.eval();
        return model;
    }

    /// <summary>The detector <paramref name="checkpoint"/> records, checked against <paramref name="expected"/>.</summary>
    /// <exception cref="DetectorMismatchException">No detector is recorded, or another one than <paramref name="expected"/>.</exception>
    public static DetectorKind KindOf(LoadedCheckpoint checkpoint, DetectorKind? expected = null)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var kind = DetectorKinds.TryParse(checkpoint.Meta.Method)
            ?? throw new DetectorMismatchException(
                $"checkpoint '{checkpoint.Path}' holds a '{checkpoint.Meta.Method}' model, not a fine-tuned detector ({string.Join(", ", DetectorKinds.All)})");
        if (expected is { } wanted && wanted != kind)
            throw new DetectorMismatchException(
                $"checkpoint '{checkpoint.Path}' holds a {DetectorKinds.NameOf(kind)} detector, not the {DetectorKinds.NameOf(wanted)} asked for");
        return kind;
    }

    /// <summary>The model's part of a trainer checkpoint.</summary>
    public static IReadOnlyDictionary<string, Tensor> ModelWeights(IReadOnlyDictionary<string, Tensor> tensors) =>
        tensors.Where(kv => !kv.Key.StartsWith(OptimizerPrefix, StringComparison.Ordinal)).ToDictionary();

    /// <summary>The ResNet-FPN whose shapes are in <paramref name="weights"/>: depth from the blocks present, norm from the buffers.</summary>
    /// <param name="layout">The family's FPN inputs and extra levels, which the checkpoint does not vary.</param>
    public static BackboneOptions InferBackbone(IReadOnlyDictionary<string, Tensor> weights, BackboneOptions layout)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(layout);
        bool Has(string key) => weights.ContainsKey(key);
        const string body = "backbone.body.";
        var variant = !Has(body + "layer1.0.conv3.weight") ? (Has(body + "layer1.2.conv1.weight") ? ResNetVariant.ResNet34 : ResNetVariant.ResNet18)
            : Has(body + "layer3.6.conv1.weight") ? ResNetVariant.ResNet101 : ResNetVariant.ResNet50;
        var norm = Has(body + "bn1.num_batches_tracked") ? BackboneNorm.BatchNorm
            : Has(body + "bn1.running_mean") ? BackboneNorm.FrozenBatchNorm : BackboneNorm.GroupNorm;
        return layout with { Variant = variant, Norm = norm, FpnChannels = Dim(weights, "backbone.fpn.inner_blocks.0.0.weight", 0) };
    }

    /// <summary>Size <paramref name="dim"/> of a tensor the architecture needs.</summary>
    /// <exception cref="CheckpointMismatchException">The key is missing.</exception>
    public static long Dim(IReadOnlyDictionary<string, Tensor> weights, string key, int dim) =>
        weights.TryGetValue(key, out var t) ? t.shape[dim]
            : throw new CheckpointMismatchException("reading the detector architecture from a checkpoint", [key], []);
}

/// <summary>A checkpoint holds no detector, or another one than the caller needs.</summary>
public sealed class DetectorMismatchException(string message) : Exception(message);
