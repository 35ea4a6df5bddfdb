using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Scrl.Detection.RoiHeads;

// Shapes: R RoIs, C input channels, C_i output channels of conv i, S x S pooled size (kept by every conv).

/// <summary>The keypoint branch's feature tower: 3x3 conv + ReLU layers over the pooled RoI features.</summary>
/// <remarks>
/// Mirrors torchvision models/detection/keypoint_rcnn.py KeypointRCNNHeads, an nn.Sequential of (Conv2d, ReLU)
/// pairs: keys {2i}.weight, {2i}.bias. Convs are initialised kaiming_normal_ (fan_out, relu) with zero bias.
/// Every width is a multiple of 16, so oneDNN's padded backward (see BlockAlignedConv2d) has nothing to pad:
/// plain Conv2d is safe here.
/// </remarks>
public sealed class KeypointRcnnHeads : nn.Module<Tensor, Tensor>
{
    private readonly List<Conv2d> _convs = [];

    /// <param name="inChannels">C, the FPN width.</param>
    /// <param name="layers">C_i of each conv (eight of 512 in keypointrcnn_resnet50_fpn).</param>
    public KeypointRcnnHeads(long inChannels, IReadOnlyList<int> layers) : base(nameof(KeypointRcnnHeads))
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0) throw new ArgumentException("need at least one conv layer", nameof(layers));
        long next = inChannels;
        for (int i = 0; i < layers.Count; i++)
        {
            var conv = nn.Conv2d(next, layers[i], 3, stride: 1, padding: 1);
            using (no_grad())
            {
                nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
                nn.init.zeros_(conv.bias);
            }
            _convs.Add(conv);
            // Sequential indices: the conv is 2i, its ReLU (no weights) 2i + 1. The names are the keys.
            register_module($"{2 * i}", conv);
            register_module($"{2 * i + 1}", nn.ReLU(inplace: true));
            next = layers[i];
        }
        OutChannels = next;
    }

    /// <summary>C of the last conv, the predictor's input width.</summary>
    public long OutChannels { get; }

    /// <param name="x">[R, C, S, S].</param>
    /// <returns>[R, C_last, S, S].</returns>
    public override Tensor forward(Tensor x)
    {
        var input = x;
        foreach (var conv in _convs)
        {
            var next = conv.call(x).relu_();                 // in place, as torchvision's ReLU(inplace=True)
            if (!ReferenceEquals(x, input)) x.Dispose();     // eight [R, 512, 14, 14] activations need not wait for the scope
            x = next;
        }
        return x;
    }
}
