using System.Collections;
using Scrl.Core.Tests.Support;
using Scrl.Detection.Backbones;
using Scrl.Detection.Transform;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Scrl.Detection.Tests.Models;

/// <summary>
/// Runs make_retinanet.py parity once (torchvision 0.14 with name-hashed weights, ~25 s) and builds our model with
/// the same weights and settings. Nothing is committed: both sides generate the weights, and torchvision's own
/// state dict (~140 MB) only lives in a temporary folder, for the strict-load check.
/// </summary>
public sealed class RetinaNetParityFixture : IDisposable
{
    /// <summary>Mirror of PREDICTION_SCALES in make_retinanet.py: keeps the random model's logits and deltas O(1).</summary>
    private static readonly Dictionary<string, double> PredictionScales = new()
    {
        ["head.classification_head.cls_logits.weight"] = 5e-4,
        ["head.regression_head.bbox_reg.weight"] = 1e-4,
    };

    /// <summary>Mirror of PREDICTION_OFFSETS: the classification bias starts at the prior probability 0.01.</summary>
    private static readonly Dictionary<string, double> PredictionOffsets = new()
    {
        ["head.classification_head.cls_logits.bias"] = -Math.Log((1 - 0.01) / 0.01),
    };

    private readonly string _directory = Directory.CreateTempSubdirectory("retinanet-parity").FullName;

    public RetinaNetParityFixture()
    {
        string path = Path.Combine(_directory, "parity.pt");
        PythonOracle.Run("retinanet/make_retinanet.py", "parity", path, WeightsPath);
        Golden = ReadTensors(path);
        Model = RetinaNet.FromOptions(Options);
        HashedInit.Fill(Model);
        using var noGrad = no_grad();
        foreach (var (name, p) in Model.named_parameters())
        {
            if (PredictionScales.TryGetValue(name, out double scale)) p.mul_(scale);
            if (PredictionOffsets.TryGetValue(name, out double offset)) p.add_(offset);
        }
    }

    /// <summary>retinanet_resnet50_fpn(weights=None, weights_backbone=None, min_size=320, max_size=512): BatchNorm, all stages trained.</summary>
    public static RetinaNetOptions Options { get; } = new()
    {
        Backbone = RetinaNetOptions.BackboneLayout with { Norm = BackboneNorm.BatchNorm, TrainableLayers = 5 },
        Transform = new TransformOptions { MinSize = [320], MaxSize = 512 },
    };

    public Dictionary<string, Tensor> Golden { get; }

    public RetinaNet Model { get; }

    /// <summary>torchvision's state dict of the same model, as torch.save wrote it.</summary>
    public string WeightsPath => Path.Combine(_directory, "weights.pt");

    public IReadOnlyList<Tensor> Images => [Golden["image.0"], Golden["image.1"]];

    /// <summary>A flat dict of tensors written by torch.save, detached from every dispose scope.</summary>
    public static Dictionary<string, Tensor> ReadTensors(string path)
    {
        var result = new Dictionary<string, Tensor>();
        using var stream = File.OpenRead(path);
        foreach (DictionaryEntry e in PyTorchUnpickler.UnpickleStateDict(stream))
            result[(string)e.Key] = ((Tensor)e.Value!).DetachFromDisposeScope();
        return result;
    }

    public void Dispose()
    {
        Model.Dispose();
        foreach (var t in Golden.Values) t.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
