using Scrl.Core.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Scrl.Detection.Retina;

// Shapes: N images, D channels, A anchors per location, C outputs per anchor, H_l x W_l level sizes,
// T = sum_l H_l * W_l * A anchors per image.

/// <summary>What RetinaNet's two heads share: four 3x3 conv + ReLU layers, then a 3x3 prediction conv on every level.</summary>
/// <remarks>Mirrors the conv stacks of torchvision's RetinaNetClassificationHead and RetinaNetRegressionHead
/// (Conv2dNormActivation without norm: keys {i}.0.*).</remarks>
internal static class HeadTower
{
    private const int Depth = 4;

    /// <summary>The shared conv stack, initialised normal(std 0.01) with zero bias.</summary>
    public static Sequential Build(long channels)
    {
        var tower = nn.Sequential();
        for (int i = 0; i < Depth; i++) tower.append(nn.Sequential(Conv3x3(channels, channels), nn.ReLU(inplace: true)));
        using (no_grad())
        {
            foreach (var conv in tower.modules().OfType<Conv2d>()) nn.init.zeros_(conv.bias);
        }
        return tower;
    }

    /// <summary>A 3x3 same-size conv with weights normal(std 0.01); the caller sets the bias.</summary>
    public static Conv2d Conv3x3(long inChannels, long outChannels)
    {
        var conv = nn.Conv2d(inChannels, outChannels, 3, padding: 1);
        using (no_grad()) nn.init.normal_(conv.weight, std: 0.01);
        return conv;
    }

    /// <summary>The 3x3 prediction conv (A*K logits, A*4 deltas: counts oneDNN pads), weights normal(std 0.01); the caller sets the bias.</summary>
    public static BlockAlignedConv2d Prediction(long inChannels, long outChannels)
    {
        var conv = new BlockAlignedConv2d(inChannels, outChannels, kernelSize: 3);
        using (no_grad()) nn.init.normal_(conv.Weight, std: 0.01);
        return conv;
    }

    /// <param name="features">Per level [N, D, H_l, W_l].</param>
    /// <param name="outputsPerAnchor">C.</param>
    /// <returns>[N, T, C]: level, then row, column, anchor.</returns>
    public static Tensor Apply(Sequential tower, nn.Module<Tensor, Tensor> prediction, IReadOnlyList<Tensor> features, long outputsPerAnchor)
    {
        var perLevel = new Tensor[features.Count];
        for (int l = 0; l < features.Count; l++)
        {
            // One scope per level: in inference only the flattened predictions outlive it.
            using var scope = NewDisposeScope();
            perLevel[l] = Flatten(prediction.call(tower.call(features[l])), outputsPerAnchor).MoveToOuterDisposeScope();
        }
        var all = cat(perLevel, 1);
        foreach (var level in perLevel) level.Dispose();
        return all;
    }

    /// <summary>[N, A*C, H, W] -> [N, H*W*A, C], as the heads' forward permutes.</summary>
    private static Tensor Flatten(Tensor x, long c)
    {
        long n = x.shape[0], h = x.shape[2], w = x.shape[3];
        return x.view(n, -1, c, h, w).permute(0, 3, 4, 1, 2).reshape(n, -1, c);
    }
}
