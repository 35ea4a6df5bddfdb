using Scrl.Core.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Scrl.Detection.Retina;

// Shapes: N images, D channels, A anchors per location, T anchors per image over all levels.

/// <summary>Per-anchor box deltas (dx, dy, dw, dh), class-agnostic, on every level.</summary>
/// <remarks>Mirrors torchvision models/detection/retinanet.py RetinaNetRegressionHead (version 2, no norm). Keys: conv.{i}.0.*, bbox_reg.*.</remarks>
public sealed class RetinaNetRegressionHead : nn.Module<IReadOnlyList<Tensor>, Tensor>
{
    // Field names are the state-dict keys: never rename.
    private readonly Sequential conv;
    private readonly BlockAlignedConv2d bbox_reg;

    public RetinaNetRegressionHead(long inChannels, int anchorsPerLocation) : base(nameof(RetinaNetRegressionHead))
    {
        conv = HeadTower.Build(inChannels);
        bbox_reg = HeadTower.Prediction(inChannels, anchorsPerLocation * 4L);
        using (no_grad()) nn.init.zeros_(bbox_reg.Bias);
        RegisterComponents();
    }

    /// <param name="features">Per level [N, D, H_l, W_l].</param>
    /// <returns>Deltas [N, T, 4].</returns>
    public override Tensor forward(IReadOnlyList<Tensor> features) => HeadTower.Apply(conv, bbox_reg, features, 4);
}
