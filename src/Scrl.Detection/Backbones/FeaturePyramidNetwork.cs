using Scrl.Core.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scrl.Detection.Backbones;

// Shapes: N images, L levels, C_l input channels of level l, D output channels, H_l x W_l level sizes.

/// <summary>Top-down feature pyramid with lateral 1x1 and output 3x3 convolutions, plus extra levels above the last.</summary>
/// <remarks>
/// Mirrors torchvision ops/feature_pyramid_network.py FeaturePyramidNetwork (norm_layer=None) with
/// LastLevelMaxPool or LastLevelP6P7. Keys: inner_blocks.{i}.0.*, layer_blocks.{i}.0.*, and extra_blocks.p6.*,
/// extra_blocks.p7.* with P6P7 (the max pool has no weights).
/// </remarks>
public sealed class FeaturePyramidNetwork : nn.Module<OrderedDictionary<string, Tensor>, OrderedDictionary<string, Tensor>>
{
    /// <summary>Name of the extra level LastLevelMaxPool appends.</summary>
    public const string PoolLevelName = "pool";

    // Field names are the state-dict keys: never rename.
    private readonly ModuleList<Sequential> inner_blocks;
    private readonly ModuleList<Sequential> layer_blocks;
    private readonly LastLevelP6P7? extra_blocks;   // null (unregistered) for the max pool

    /// <param name="inChannels">C_l per input level, finest first.</param>
    /// <param name="outChannels">D.</param>
    /// <param name="extraLevels">MaxPool appends "pool" = max_pool2d(last output, 1, stride 2); P6P7 appends "p6", "p7".</param>
    public FeaturePyramidNetwork(IReadOnlyList<long> inChannels, long outChannels, FpnExtraLevels extraLevels = FpnExtraLevels.MaxPool)
        : base(nameof(FeaturePyramidNetwork))
    {
        ArgumentOutOfRangeException.ThrowIfZero(inChannels.Count);
        inner_blocks = new ModuleList<Sequential>();
        layer_blocks = new ModuleList<Sequential>();
        foreach (long c in inChannels)
        {
            inner_blocks.Add(nn.Sequential(Lateral(c, outChannels)));
            layer_blocks.Add(nn.Sequential(Output(outChannels)));
        }
        extra_blocks = extraLevels switch
        {
            FpnExtraLevels.MaxPool => null,
            FpnExtraLevels.P6P7 => new LastLevelP6P7(outChannels),
            _ => throw new ArgumentOutOfRangeException(nameof(extraLevels), extraLevels, "unknown FPN extra levels"),
        };
        RegisterComponents();
    }

    /// <param name="input">Backbone levels, finest first: [N, C_l, H_l, W_l].</param>
    /// <returns>Same names, each [N, D, H_l, W_l], then "pool" [N, D, ceil(H_L/2), ceil(W_L/2)], or "p6" of that size
    /// and "p7" [N, D, ceil(H_L/4), ceil(W_L/4)].</returns>
    public override OrderedDictionary<string, Tensor> forward(OrderedDictionary<string, Tensor> input)
    {
        if (input.Count != inner_blocks.Count)
            throw new ArgumentException($"FPN built for {inner_blocks.Count} levels, got {input.Count}.", nameof(input));
        var names = input.Keys.ToList();
        var x = input.Values.ToList();
        int last = x.Count - 1;
        var lastInner = inner_blocks[last].call(x[last]);                                 // [N, D, H_L, W_L]
        var results = new Tensor[x.Count];
        results[last] = layer_blocks[last].call(lastInner);
        for (int i = last - 1; i >= 0; i--)
        {
            var lateral = inner_blocks[i].call(x[i]);                                     // [N, D, H_i, W_i]
            var topDown = F.interpolate(lastInner, size: [lateral.shape[2], lateral.shape[3]], mode: InterpolationMode.Nearest);
            lastInner = lateral + topDown;
            results[i] = layer_blocks[i].call(lastInner);
        }
        var output = new OrderedDictionary<string, Tensor>();
        for (int i = 0; i < results.Length; i++) output.Add(names[i], results[i]);
        if (extra_blocks is null)
        {
            output.Add(PoolLevelName, F.max_pool2d(results[last], 1, 2, 0));
        }
        else
        {
            var (p6, p7) = extra_blocks.call(results[last]);
            output.Add(LastLevelP6P7.P6LevelName, p6);
            output.Add(LastLevelP6P7.P7LevelName, p7);
        }
        return output;
    }

    // Both initialised as torchvision's FPN initialises its convolutions: kaiming_uniform a=1, bias 0.
    private static PointwiseConv2d Lateral(long inChannels, long outChannels)
    {
        var conv = new PointwiseConv2d(inChannels, outChannels, hasBias: true);
        Initialize(conv.Weight, conv.Bias!);
        return conv;
    }

    private static Conv2d Output(long channels)
    {
        var conv = nn.Conv2d(channels, channels, 3, padding: 1);
        Initialize(conv.weight, conv.bias!);
        return conv;
    }

    private static void Initialize(Tensor weight, Tensor bias)
    {
        using var noGrad = no_grad();
        nn.init.kaiming_uniform_(weight, a: 1);
        nn.init.zeros_(bias);
    }
}
