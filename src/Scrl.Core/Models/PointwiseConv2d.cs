using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scrl.Core.Models;

// Shapes: N images, C input channels, O output channels, H x W input size, s stride.

/// <summary>
/// A 1×1 convolution (torch.nn.Conv2d with kernel_size=1, padding 0) that never asks oneDNN for a convolution the
/// oneDNN 3.7 inside libtorch 2.10 cannot plan. State-dict keys are Conv2d's: <c>weight</c> [O, C, 1, 1] and, when
/// present, <c>bias</c> [O].
/// </summary>
/// <remarks>
/// oneDNN's brgemm 1×1 convolution estimates its blocking with a "maskrcnn workaround" taken for five hard-coded
/// channel pairs (jit_brgemm_conv_utils.cpp and its backward twin, <c>est_eff_1x1</c>): an integer division whose
/// divisor is zero when the CPU's register blocking exceeds the spatial block, as on AMD Zen 5 VMs. The process dies
/// by SIGFPE. The forward pass hits it for (C, O) in the set, and the backward-data pass for (O, C), in channels-last
/// and (strided) NCHW layouts alike. These are ResNet-50's own convolutions (256→1024, 512→1024, 1024→512, 512→2048,
/// 1024→2048) and the FPN's 1024→256. On the CPU, such a convolution runs with 16 zero filters appended (O + 16
/// outputs, a pair no heuristic names) and returns the first O channels: the same values, for 1.6% more work.
/// </remarks>
public sealed class PointwiseConv2d : nn.Module<Tensor, Tensor>
{
    private const long ExtraFilters = 16;   // one AVX-512 vector of output channels

    private static readonly HashSet<(long In, long Out)> PairsOneDnnCannotPlan =
        [(256, 1024), (512, 1024), (1024, 512), (512, 2048), (1024, 2048)];

    // Field names are the state-dict keys: never rename.
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly long[] _strides;
    private readonly bool _padOnCpu;

    /// <param name="inChannels">C.</param>
    /// <param name="outChannels">O.</param>
    /// <param name="stride">s, in both directions.</param>
    /// <param name="hasBias">Whether the convolution adds a learnt bias.</param>
    /// <remarks>Initialised as torch.nn.Conv2d initialises itself (kaiming_uniform with a = √5, bias uniform in ±1/√C);
    /// owners re-initialise as their torchvision counterpart does.</remarks>
    public PointwiseConv2d(long inChannels, long outChannels, long stride = 1, bool hasBias = false) : base(nameof(PointwiseConv2d))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        InChannels = inChannels;
        OutChannels = outChannels;
        _strides = [stride, stride];
        _padOnCpu = NeedsExtraFilters(inChannels, outChannels);
        weight = new Parameter(empty(outChannels, inChannels, 1, 1));
        if (hasBias) bias = new Parameter(empty(outChannels));
        using (no_grad())
        {
            nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
            if (bias is not null) nn.init.uniform_(bias, -1 / Math.Sqrt(inChannels), 1 / Math.Sqrt(inChannels));
        }
        RegisterComponents();
    }

    public long InChannels { get; }

    public long OutChannels { get; }

    /// <summary>The weight [O, C, 1, 1], for initialisation by the owning model.</summary>
    public Parameter Weight => weight;

    /// <summary>The bias [O], or null.</summary>
    public Parameter? Bias => bias;

    /// <summary>Whether a C → O 1×1 convolution, forward or backward, is one oneDNN 3.7 divides by zero planning.</summary>
    public static bool NeedsExtraFilters(long inChannels, long outChannels) =>
        PairsOneDnnCannotPlan.Contains((inChannels, outChannels)) || PairsOneDnnCannotPlan.Contains((outChannels, inChannels));

    /// <param name="x">[N, C, H, W], NCHW or channels-last.</param>
    /// <returns>[N, O, ceil(H/s), ceil(W/s)], in the layout oneDNN gives for <paramref name="x"/>'s.</returns>
    public override Tensor forward(Tensor x)
    {
        if (!_padOnCpu || x.device_type != DeviceType.CPU)
            return F.conv2d(x, weight, bias, strides: _strides);
        using var scope = NewDisposeScope();
        var paddedWeight = cat([weight, zeros(ExtraFilters, InChannels, 1, 1, dtype: weight.dtype, device: weight.device)], 0);   // [O+16, C, 1, 1]
        var paddedBias = bias is null ? null : cat([bias, zeros(ExtraFilters, dtype: bias.dtype, device: bias.device)], 0);     // [O+16]
        var y = F.conv2d(x, paddedWeight, paddedBias, strides: _strides);                                  // [N, O+16, H', W']
        return y.narrow(1, 0, OutChannels).MoveToOuterDisposeScope();                                        // [N, O, H', W']
    }
}
