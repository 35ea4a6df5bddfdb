using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scrl.Detection.Backbones;

// Shapes: N images, D channels, H x W the last FPN level's size.

/// <summary>RetinaNet's two levels above the FPN: P6 = 3x3 stride-2 conv of P5, P7 = the same of relu(P6).</summary>
/// <remarks>
/// Mirrors torchvision ops/feature_pyramid_network.py LastLevelP6P7(D, D): input and output widths are equal, so
/// it reads P5 (use_P5), not C5. Keys: p6.*, p7.*.
/// </remarks>
public sealed class LastLevelP6P7 : nn.Module<Tensor, (Tensor P6, Tensor P7)>
{
    /// <summary>Names torchvision gives the two levels in the FPN's output.</summary>
    public const string P6LevelName = "p6";

    public const string P7LevelName = "p7";

    // Field names are the state-dict keys: never rename.
    private readonly Conv2d p6;
    private readonly Conv2d p7;

    /// <param name="channels">D, the FPN's width.</param>
    public LastLevelP6P7(long channels) : base(nameof(LastLevelP6P7))
    {
        p6 = nn.Conv2d(channels, channels, 3, stride: 2, padding: 1);
        p7 = nn.Conv2d(channels, channels, 3, stride: 2, padding: 1);
        using (no_grad())
        {
            foreach (var conv in new[] { p6, p7 })
            {
                nn.init.kaiming_uniform_(conv.weight, a: 1);
                nn.init.zeros_(conv.bias);
            }
        }
        RegisterComponents();
    }

    /// <param name="p5">The last FPN output [N, D, H, W].</param>
    /// <returns>P6 [N, D, ceil(H/2), ceil(W/2)] and P7 [N, D, ceil(H/4), ceil(W/4)].</returns>
    public override (Tensor P6, Tensor P7) forward(Tensor p5)
    {
        var level6 = p6.call(p5);
        return (level6, p7.call(F.relu(level6)));
    }
}
