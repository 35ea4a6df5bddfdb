using System.Collections;
using Scrl.Core.Interop;
using Scrl.Core.IO;
using Scrl.Core.Training.Checkpoints;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Scrl.Detection;

/// <summary>
/// Writes a fine-tuned detector for PyTorch: <c>detector.pth</c>, its whole state dict under torchvision's keys
/// (trainer state left out), and its ResNet body as a torchvision <c>backbone.pth</c>.
/// </summary>
/// <remarks>
/// torchvision has no Sparse R-CNN: its snippet loads the ResNet-FPN strictly into torchvision's; the head's keys
/// (init_proposal_*, head.head_series.*) are the authors' SparseR-CNN names.
/// </remarks>
public static class DetectorExport
{
    /// <summary>What was written, and the torchvision code that loads <see cref="DetectorPath"/> strictly.</summary>
    public sealed record Exported(DetectorKind Kind, int NumClasses, ResNetLayout Body, string DetectorPath, string BackbonePath, string LoadSnippet);

    /// <summary>Whether <paramref name="path"/> is a checkpoint that records a detector (a fine-tuning run's).</summary>
    public static bool Holds(string path)
    {
        bool hasMeta = path.EndsWith(".ckpt", StringComparison.OrdinalIgnoreCase) && File.Exists(Path.ChangeExtension(path, ".json"));
        return hasMeta && DetectorKinds.TryParse(CheckpointStore.ReadMeta(path).Method) is not null;
    }

    /// <exception cref="DetectorMismatchException">The checkpoint records no detector.</exception>
    public static Exported Save(string checkpointPath, string outputDirectory)
    {
        using var checkpoint = CheckpointStore.Load(checkpointPath);
        var kind = DetectorCheckpoint.KindOf(checkpoint);
        var weights = DetectorCheckpoint.ModelWeights(checkpoint.Tensors);
        using var scope = NewDisposeScope();                                      // the copies below
        Directory.CreateDirectory(outputDirectory);

        string detectorPath = Path.Combine(outputDirectory, "detector.pth");
        var table = new Hashtable();
        foreach (var (key, tensor) in weights) table[key] = tensor.detach().cpu().contiguous();
        AtomicFile.Write(detectorPath, stream => PyTorchPickler.PickleStateDict(stream, table, leaveOpen: true));

        const string bodyPrefix = "backbone.body.";
        var body = weights.Where(kv => kv.Key.StartsWith(bodyPrefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[bodyPrefix.Length..], kv => kv.Value);
        bool frozen = !body.ContainsKey("bn1.num_batches_tracked");
        if (frozen)
        {
            // torchvision's ResNet has BatchNorm: frozen statistics load into it with a zero update counter.
            foreach (string mean in body.Keys.Where(k => k.EndsWith(".running_mean", StringComparison.Ordinal)).ToList())
                body[mean[..^"running_mean".Length] + "num_batches_tracked"] = tensor(0L);
        }
        string backbonePath = Path.Combine(outputDirectory, "backbone.pth");
        var layout = TorchvisionExport.Save(body, backbonePath);

        var transform = new Transform.TransformOptions();
        int numClasses = kind switch
        {
            DetectorKind.RetinaNet => RetinaNetCheckpoint.InferOptions(weights, transform).NumClasses,
            DetectorKind.MaskRcnn => MaskRcnnCheckpoint.InferOptions(weights, transform).NumClasses,
            DetectorKind.SparseRcnn => SparseRcnnCheckpoint.InferOptions(weights, transform).NumClasses,
            _ => FasterRcnnCheckpoint.InferOptions(weights, transform).NumClasses,
        };
        int? numKeypoints = kind == DetectorKind.KeypointRcnn ? KeypointRcnnCheckpoint.InferOptions(weights, transform).KeypointHead.NumKeypoints : null;
        return new Exported(kind, numClasses, layout, detectorPath, backbonePath,
                            Snippet(kind, numClasses, numKeypoints, layout.Depth, frozen, Path.GetFullPath(detectorPath)));
    }

    // The body's norm decides the torchvision model: frozen statistics have no num_batches_tracked to load into a BatchNorm.
    private static string Snippet(DetectorKind kind, int numClasses, int? numKeypoints, int depth, bool frozen, string path)
    {
        string norm = frozen ? "torchvision.ops.misc.FrozenBatchNorm2d" : "torch.nn.BatchNorm2d";
        if (kind == DetectorKind.SparseRcnn)
            return "import torch; from torchvision.models.detection.backbone_utils import resnet_fpn_backbone; " +
                   $"backbone = resnet_fpn_backbone(backbone_name=\"resnet{depth}\", weights=None, norm_layer={norm}, trainable_layers=5); " +
                   $"state = torch.load(\"{path}\"); " +
                   "backbone.load_state_dict({k[len(\"backbone.\"):]: v for k, v in state.items() if k.startswith(\"backbone.\")})";
        string model = kind == DetectorKind.RetinaNet
            ? "from torchvision.models.detection.backbone_utils import _resnet_fpn_extractor; from torchvision.ops.feature_pyramid_network import LastLevelP6P7; " +
              $"model = torchvision.models.detection.RetinaNet(_resnet_fpn_extractor(torchvision.models.resnet{depth}(norm_layer={norm}), 5, " +
              $"returned_layers=[2, 3, 4], extra_blocks=LastLevelP6P7(256, 256)), num_classes={numClasses})"
            : "from torchvision.models.detection.backbone_utils import resnet_fpn_backbone; " +
              $"model = torchvision.models.detection.{RcnnClass(kind)}(resnet_fpn_backbone(backbone_name=\"resnet{depth}\", weights=None, norm_layer={norm}, " +
              $"trainable_layers=5), num_classes={numClasses}{(numKeypoints is { } j ? $", num_keypoints={j}" : "")})";
        return $"import torch, torchvision; {model}; model.load_state_dict(torch.load(\"{path}\"))";
    }

    // The *_resnet50_fpn builders are these classes on this backbone; the classes take the body's depth and norm, which the builders fix.
    private static string RcnnClass(DetectorKind kind) => kind switch
    {
        DetectorKind.MaskRcnn => "MaskRCNN",
        DetectorKind.KeypointRcnn => "KeypointRCNN",
        _ => "FasterRCNN",
    };
}
