using static TorchSharp.torch;

namespace Scrl.Detection;

/// <summary>The four Faster R-CNN training losses (torchvision's loss dict keys in the comments).</summary>
public sealed record FasterRcnnLosses(
    Tensor Classifier,    // loss_classifier: cross entropy over sampled RoIs
    Tensor BoxReg,        // loss_box_reg: smooth L1 (beta 1/9) over positive RoIs / sampled RoIs
    Tensor Objectness,    // loss_objectness: BCE over sampled anchors
    Tensor RpnBoxReg)     // loss_rpn_box_reg: smooth L1 (beta 1/9) over positive anchors / sampled anchors
{
    /// <summary>Sum of the four losses, the quantity torchvision's reference script backpropagates.</summary>
    public Tensor Total() => Classifier + BoxReg + Objectness + RpnBoxReg;

    /// <summary>Host values keyed by torchvision's names, for logging.</summary>
    public IReadOnlyDictionary<string, double> ToHost() => new Dictionary<string, double>
    {
        ["loss_classifier"] = Classifier.item<float>(),
        ["loss_box_reg"] = BoxReg.item<float>(),
        ["loss_objectness"] = Objectness.item<float>(),
        ["loss_rpn_box_reg"] = RpnBoxReg.item<float>(),
    };
}
