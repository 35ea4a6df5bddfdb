using System.Globalization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Scrl.Detection.RoiHeads;

// Shapes: R RoIs, C input channels, S x S pooled size, D_i output channels of layer i.

/// <summary>The mask head: 3x3 conv + ReLU layers on pooled RoI features, same size out.</summary>
/// <remarks>
/// Mirrors torchvision models/detection/mask_rcnn.py MaskRCNNHeads (version 2, norm_layer=None): one
/// Conv2dNormActivation per layer, keys {i}.0.weight, {i}.0.bias; weights kaiming_normal (fan_out, relu), biases 0.
/// Every output count is a multiple of 16, so plain convolutions are safe from the oneDNN padding bug
/// (see <see cref="Scrl.Core.Models.BlockAlignedConv2d"/>).
/// </remarks>
public sealed class MaskRcnnHeads : nn.Module<Tensor, Tensor>
{
    private readonly List<Sequential> _blocks = [];

    /// <param name="inChannels">C (the FPN's 256).</param>
    /// <param name="layers">D_i per layer (four of 256).</param>
    /// <param name="dilation">Dilation and padding of every conv (1).</param>
    public MaskRcnnHeads(long inChannels, IReadOnlyList<int> layers, int dilation) : base(nameof(MaskRcnnHeads))
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0) throw new ArgumentException("the mask head needs at least one layer", nameof(layers));
        ArgumentOutOfRangeException.ThrowIfLessThan(dilation, 1);
        long next = inChannels;
        foreach (int features in layers)
        {
            var conv = nn.Conv2d(next, features, 3, stride: 1, padding: dilation, dilation: dilation);
            using (no_grad())
            {
                nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
                nn.init.zeros_(conv.bias);
            }
            _blocks.Add(nn.Sequential(conv, nn.ReLU(inplace: true)));
            next = features;
        }
        OutChannels = next;
        // Registered by hand: the keys are the layer indices ("0".."3"), which no field can be named.
        for (int i = 0; i < _blocks.Count; i++) register_module(i.ToString(CultureInfo.InvariantCulture), _blocks[i]);
    }

    /// <summary>Channels of the last layer, the predictor's input.</summary>
    public long OutChannels { get; }

    /// <param name="x">Pooled features [R, C, S, S].</param>
    /// <returns>[R, D_last, S, S].</returns>
    public override Tensor forward(Tensor x)
    {
        var input = x;
        foreach (var block in _blocks)
        {
            var next = block.call(x);
            if (!ReferenceEquals(x, input)) x.Dispose();     // autograd keeps what backward needs; the handle would only hold memory
            x = next;
        }
        return x;
    }
}
