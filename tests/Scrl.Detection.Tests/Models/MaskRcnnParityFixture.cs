using Scrl.Core.Tests.Support;
using Scrl.Detection.Backbones;
using Scrl.Detection.RoiHeads;
using Scrl.Detection.Transform;
using static TorchSharp.torch;

namespace Scrl.Detection.Tests.Models;

/// <summary>
/// Runs make_maskrcnn.py parity once (torchvision 0.14 with name-hashed weights, ~60 s) and builds our model with
/// the same weights and settings. Nothing is committed: both sides generate the weights, and torchvision's own
/// state dict (~180 MB) only lives in a temporary folder, for the strict-load check.
/// </summary>
public sealed class MaskRcnnParityFixture : IDisposable
{
    /// <summary>Mirror of PREDICTION_SCALES in make_maskrcnn.py: keeps the random model's logits, deltas and mask logits O(1).</summary>
    private static readonly Dictionary<string, double> PredictionScales = new()
    {
        ["rpn.head.cls_logits.weight"] = 1e-3,
        ["rpn.head.bbox_pred.weight"] = 1e-4,
        ["roi_heads.box_head.fc6.weight"] = 1e-2,
        ["roi_heads.box_predictor.cls_score.weight"] = 1e-1,
        ["roi_heads.box_predictor.bbox_pred.weight"] = 1e-2,
        ["roi_heads.mask_predictor.mask_fcn_logits.weight"] = 1e-3,
    };

    private readonly string _directory = Directory.CreateTempSubdirectory("maskrcnn-parity").FullName;

    public MaskRcnnParityFixture()
    {
        string path = Path.Combine(_directory, "parity.pt");
        PythonOracle.Run("maskrcnn/make_maskrcnn.py", "parity", path, WeightsPath);
        Golden = RetinaNetParityFixture.ReadTensors(path);
        Model = MaskRcnn.FromOptions(Options);
        HashedInit.Fill(Model);
        using var noGrad = no_grad();
        foreach (var (name, p) in Model.named_parameters())
            if (PredictionScales.TryGetValue(name, out double scale)) p.mul_(scale);
    }

    /// <summary>maskrcnn_resnet50_fpn(weights=None, weights_backbone=None, min_size=320, max_size=512,
    /// box_score_thresh=0.0, box_detections_per_img=50).</summary>
    public static MaskRcnnOptions Options { get; } = new()
    {
        Backbone = new BackboneOptions { Norm = BackboneNorm.BatchNorm, TrainableLayers = 5 },
        Transform = new TransformOptions { MinSize = [320], MaxSize = 512 },
        BoxHead = new BoxHeadOptions { ScoreThreshold = 0.0, DetectionsPerImage = 50 },
    };

    public Dictionary<string, Tensor> Golden { get; }

    public MaskRcnn Model { get; }

    /// <summary>torchvision's state dict of the same model, as torch.save wrote it.</summary>
    public string WeightsPath => Path.Combine(_directory, "weights.pt");

    public IReadOnlyList<Tensor> Images => [Golden["image.0"], Golden["image.1"]];

    public void Dispose()
    {
        Model.Dispose();
        foreach (var t in Golden.Values) t.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
