using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scrl.Core.Models;

// Shapes: N images, C input channels, O output channels, H x W size (kept: stride 1, "same" padding).

/// <summary>
/// A k×k stride-1 "same" convolution (torch.nn.Conv2d with padding k/2) whose gradients oneDNN 3.7 cannot poison.
/// State-dict keys are Conv2d's: <c>weight</c> [O, C, k, k] and <c>bias</c> [O].
/// </summary>
/// <remarks>
/// oneDNN 3.7 (libtorch 2.10) runs the backward-data pass of small convolutions on a blocked layout with the
/// output channels padded to a multiple of 16, and its jit:avx512_core kernel reads that padding of the reordered
/// output gradient without zeroing it: whatever a freed block held leaks into the input gradient, and NaN left there
/// turns the whole backbone's gradients to NaN (measured for 3×3 convolutions 32→36, 16/32/256→12 on AMD Zen 5,
/// one or two threads). Detection heads predict such counts (9 anchors × 4 deltas). On the CPU this convolution
/// computes with O rounded up to a multiple of 16 (zero filters), so there is no padding to read, and returns the
/// first O channels: the same values.
/// </remarks>
public sealed class BlockAlignedConv2d : nn.Module<Tensor, Tensor>
{
    private const long Block = 16;   // one AVX-512 vector of output channels

    // Field names are the state-dict keys: never rename.
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly long _padding;

    /// <param name="inChannels">C.</param>
    /// <param name="outChannels">O.</param>
    /// <param name="kernelSize">k, odd.</param>
    /// <remarks>Initialised as torch.nn.Conv2d initialises itself; owners re-initialise as their torchvision counterpart does.</remarks>
    public BlockAlignedConv2d(long inChannels, long outChannels, long kernelSize) : base(nameof(BlockAlignedConv2d))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1);
        if (kernelSize < 1 || kernelSize % 2 == 0) throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "must be odd");
        InChannels = inChannels;
        OutChannels = outChannels;
        _padding = kernelSize / 2;
        weight = new Parameter(empty(outChannels, inChannels, kernelSize, kernelSize));
        bias = new Parameter(empty(outChannels));
        using (no_grad())
        {
            nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
            double bound = 1 / Math.Sqrt(inChannels * kernelSize * kernelSize);
            nn.init.uniform_(bias, -bound, bound);
        }
        RegisterComponents();
    }

    public long InChannels { get; }

    public long OutChannels { get; }

    /// <summary>The weight [O, C, k, k], for initialisation by the owning model.</summary>
    public Parameter Weight => weight;

    /// <summary>The bias [O].</summary>
    public Parameter Bias => bias;

    /// <param name="x">[N, C, H, W].</param>
    /// <returns>[N, O, H, W].</returns>
    public override Tensor forward(Tensor x)
    {
        long extra = (Block - OutChannels % Block) % Block;
        if (extra == 0 || x.device_type != DeviceType.CPU)
            return F.conv2d(x, weight, bias, padding: [_padding, _padding]);
        using var scope = NewDisposeScope();
        var paddedWeight = cat([weight, zeros([extra, .. weight.shape[1..]], dtype: weight.dtype, device: weight.device)], 0);   // [O', C, k, k]
        var paddedBias = cat([bias, zeros(extra, dtype: bias.dtype, device: bias.device)], 0);                                   // [O']
        var y = F.conv2d(x, paddedWeight, paddedBias, padding: [_padding, _padding]);                                             // [N, O', H, W]
        return y.narrow(1, 0, OutChannels).MoveToOuterDisposeScope();                                                              // [N, O, H, W]
    }
}
