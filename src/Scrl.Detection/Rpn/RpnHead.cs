using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scrl.Detection.Rpn;

// Shapes: N images, D channels, A anchors per location, H_l x W_l level sizes.

/// <summary>Shared 3x3 conv + ReLU, then per-anchor objectness logits and box deltas, on every level.</summary>
/// <remarks>Mirrors torchvision models/detection/rpn.py RPNHead (conv_depth=1, version 2). Keys: conv.0.0.*, cls_logits.*, bbox_pred.*.</remarks>
public sealed class RpnHead : nn.Module<IReadOnlyList<Tensor>, (List<Tensor> Logits, List<Tensor> Deltas)>
{
    // Field names are the state-dict keys: never rename.
    private readonly Sequential conv;
    private readonly Conv2d cls_logits;
    private readonly Conv2d bbox_pred;

    public RpnHead(long inChannels, int anchorsPerLocation) : base(nameof(RpnHead))
    {
        conv = nn.Sequential(nn.Sequential(nn.Conv2d(inChannels, inChannels, 3, padding: 1), nn.ReLU()));
        cls_logits = nn.Conv2d(inChannels, anchorsPerLocation, 1);
        bbox_pred = nn.Conv2d(inChannels, anchorsPerLocation * 4, 1);
        using (no_grad())
        {
            foreach (var c in conv.modules().OfType<Conv2d>().Append(cls_logits).Append(bbox_pred))
            {
                nn.init.normal_(c.weight, std: 0.01);
                nn.init.zeros_(c.bias);
            }
        }
        RegisterComponents();
    }

    /// <param name="features">Per level [N, D, H_l, W_l].</param>
    /// <returns>Per level: logits [N, A, H_l, W_l] and deltas [N, 4A, H_l, W_l].</returns>
    public override (List<Tensor> Logits, List<Tensor> Deltas) forward(IReadOnlyList<Tensor> features)
    {
        var logits = new List<Tensor>(features.Count);
        var deltas = new List<Tensor>(features.Count);
        foreach (var feature in features)
        {
            var t = conv.call(feature);
            logits.Add(cls_logits.call(t));
            deltas.Add(bbox_pred.call(t));
        }
        return (logits, deltas);
    }
}
