using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scrl.Core.Models;

// Shapes: N images, C input channels, O output channels, H x W input size, s stride, p padding, k kernel;
// output (H - 1) s - 2p + k per side.

/// <summary>
/// A transposed convolution (torch.nn.ConvTranspose2d) whose input gradient oneDNN 3.7 cannot corrupt.
/// State-dict keys are ConvTranspose2d's: <c>weight</c> [C, O, k, k] and <c>bias</c> [O].
/// </summary>
/// <remarks>
/// The same oneDNN 3.7 (libtorch 2.10) defect as <see cref="BlockAlignedConv2d"/>'s, on the transposed side:
/// measured on AMD Zen 5, ConvTranspose2d 512→17 (k 4, s 2, p 1: Keypoint R-CNN's predictor) returns an input
/// gradient off by 30% of its largest value, with or without NaN in freed memory, while 512→32 and 512→5 are
/// exact. On the CPU this layer computes with O rounded up to a multiple of 16 (zero filters) and returns the
/// first O channels: the same values, and exact gradients.
/// </remarks>
public sealed class BlockAlignedConvTranspose2d : nn.Module<Tensor, Tensor>
{
    private const long Block = 16;   // one AVX-512 vector of output channels

    // Field names are the state-dict keys: never rename.
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly long _stride;
    private readonly long _padding;

    /// <param name="inChannels">C.</param>
    /// <param name="outChannels">O.</param>
    /// <param name="kernelSize">k.</param>
    /// <param name="stride">s.</param>
    /// <param name="padding">p.</param>
    /// <remarks>Initialised as torch.nn.ConvTranspose2d initialises itself; owners re-initialise as their torchvision counterpart does.</remarks>
    public BlockAlignedConvTranspose2d(long inChannels, long outChannels, long kernelSize, long stride, long padding)
        : base(nameof(BlockAlignedConvTranspose2d))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        OutChannels = outChannels;
        _stride = stride;
        _padding = padding;
        weight = new Parameter(empty(inChannels, outChannels, kernelSize, kernelSize));
        bias = new Parameter(empty(outChannels));
        using (no_grad())
        {
            // PyTorch's fan_in of a transposed weight is its dim 1 times the kernel area.
            nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
            double bound = 1 / Math.Sqrt(outChannels * kernelSize * kernelSize);
            nn.init.uniform_(bias, -bound, bound);
        }
        RegisterComponents();
    }

    public long OutChannels { get; }

    /// <summary>The weight [C, O, k, k], for initialisation by the owning model.</summary>
    public Parameter Weight => weight;

    /// <summary>The bias [O].</summary>
    public Parameter Bias => bias;

    /// <param name="x">[N, C, H, W].</param>
    /// <returns>[N, O, (H - 1) s - 2p + k, (W - 1) s - 2p + k].</returns>
    public override Tensor forward(Tensor x)
    {
        long extra = (Block - OutChannels % Block) % Block;
        if (extra == 0 || x.device_type != DeviceType.CPU)
            return F.conv_transpose2d(x, weight, bias, strides: [_stride, _stride], padding: [_padding, _padding]);
        using var scope = NewDisposeScope();
        var shape = weight.shape;
        var paddedWeight = cat([weight, zeros([shape[0], extra, shape[2], shape[3]], dtype: weight.dtype, device: weight.device)], 1);   // [C, O', k, k]
        var paddedBias = cat([bias, zeros(extra, dtype: bias.dtype, device: bias.device)], 0);                                          // [O']
        var y = F.conv_transpose2d(x, paddedWeight, paddedBias, strides: [_stride, _stride], padding: [_padding, _padding]);            // [N, O', H', W']
        return y.narrow(1, 0, OutChannels).MoveToOuterDisposeScope();                                                                   // [N, O, H', W']
    }
}
