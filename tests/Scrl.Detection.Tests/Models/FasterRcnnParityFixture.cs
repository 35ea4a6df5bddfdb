using System.Collections;
using Scrl.Core.Tests.Support;
using Scrl.Detection.Backbones;
using Scrl.Detection.RoiHeads;
using Scrl.Detection.Transform;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Scrl.Detection.Tests.Models;

/// <summary>
/// Runs make_fasterrcnn.py parity once (torchvision 0.14 with name-hashed weights, ~20 s) and builds our model
/// with the same weights and settings. Nothing large is committed: both sides generate the weights.
/// </summary>
public sealed class FasterRcnnParityFixture : IDisposable
{
    /// <summary>Mirror of PREDICTION_SCALES in make_fasterrcnn.py: keeps the random model's logits and deltas O(1).</summary>
    private static readonly Dictionary<string, double> PredictionScales = new()
    {
        ["rpn.head.cls_logits.weight"] = 1e-3,
        ["rpn.head.bbox_pred.weight"] = 1e-4,
        ["roi_heads.box_head.fc6.weight"] = 1e-2,
        ["roi_heads.box_predictor.cls_score.weight"] = 1e-1,
        ["roi_heads.box_predictor.bbox_pred.weight"] = 1e-2,
    };

    private readonly string _directory = Directory.CreateTempSubdirectory("fasterrcnn-parity").FullName;

    public FasterRcnnParityFixture()
    {
        string path = Path.Combine(_directory, "parity.pt");
        PythonOracle.Run("fasterrcnn/make_fasterrcnn.py", "parity", path);
        using (var stream = File.OpenRead(path))
        {
            foreach (DictionaryEntry e in PyTorchUnpickler.UnpickleStateDict(stream))
                Golden[(string)e.Key] = ((Tensor)e.Value!).DetachFromDisposeScope();
        }
        Model = FasterRcnn.FromOptions(Options);
        HashedInit.Fill(Model);
        using var noGrad = no_grad();
        foreach (var (name, p) in Model.named_parameters())
            if (PredictionScales.TryGetValue(name, out double scale)) p.mul_(scale);
    }

    /// <summary>fasterrcnn_resnet50_fpn(weights=None, weights_backbone=None, min_size=320, max_size=512,
    /// box_score_thresh=0.0, box_detections_per_img=50).</summary>
    public static FasterRcnnOptions Options { get; } = new()
    {
        Backbone = new BackboneOptions { Norm = BackboneNorm.BatchNorm, TrainableLayers = 5 },
        Transform = new TransformOptions { MinSize = [320], MaxSize = 512 },
        BoxHead = new BoxHeadOptions { ScoreThreshold = 0.0, DetectionsPerImage = 50 },
    };

    public Dictionary<string, Tensor> Golden { get; } = [];

    public FasterRcnn Model { get; }

    public IReadOnlyList<Tensor> Images => [Golden["image.0"], Golden["image.1"]];

    public void Dispose()
    {
        Model.Dispose();
        foreach (var t in Golden.Values) t.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
