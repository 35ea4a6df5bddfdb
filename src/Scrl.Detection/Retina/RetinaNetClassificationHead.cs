using Scrl.Core.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Scrl.Detection.Retina;

// Shapes: N images, D channels, A anchors per location, K classes, T anchors per image over all levels.

/// <summary>Per-anchor class logits (one sigmoid per class, no background output) on every level.</summary>
/// <remarks>
/// Mirrors torchvision models/detection/retinanet.py RetinaNetClassificationHead (version 2, no norm): cls_logits
/// starts at the prior probability 0.01, bias -log((1 - 0.01) / 0.01). Keys: conv.{i}.0.*, cls_logits.*.
/// </remarks>
public sealed class RetinaNetClassificationHead : nn.Module<IReadOnlyList<Tensor>, Tensor>
{
    private const double PriorProbability = 0.01;

    // Field names are the state-dict keys: never rename.
    private readonly Sequential conv;
    private readonly BlockAlignedConv2d cls_logits;

    public RetinaNetClassificationHead(long inChannels, int anchorsPerLocation, int numClasses) : base(nameof(RetinaNetClassificationHead))
    {
        NumClasses = numClasses;
        conv = HeadTower.Build(inChannels);
        cls_logits = HeadTower.Prediction(inChannels, (long)anchorsPerLocation * numClasses);
        using (no_grad()) nn.init.constant_(cls_logits.Bias, -Math.Log((1 - PriorProbability) / PriorProbability));
        RegisterComponents();
    }

    /// <summary>K.</summary>
    public int NumClasses { get; }

    /// <param name="features">Per level [N, D, H_l, W_l].</param>
    /// <returns>Logits [N, T, K].</returns>
    public override Tensor forward(IReadOnlyList<Tensor> features) => HeadTower.Apply(conv, cls_logits, features, NumClasses);
}
