using Scrl.Core.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scrl.Detection.RoiHeads;

// Shapes: R RoIs, C input channels, S x S head output, E reduced channels, K classes including background.

/// <summary>Upsamples the mask head's output 2x and predicts one mask logit map per class.</summary>
/// <remarks>
/// Mirrors torchvision models/detection/mask_rcnn.py MaskRCNNPredictor: conv5_mask (2x2 transposed conv, stride 2),
/// ReLU, mask_fcn_logits (1x1 conv to K). Keys: conv5_mask.*, mask_fcn_logits.*. Weights kaiming_normal
/// (fan_out, relu); biases keep PyTorch's default init, as torchvision leaves them. mask_fcn_logits predicts K
/// channels (91, 21, ...), counts oneDNN pads, so it is a <see cref="BlockAlignedConv2d"/> as RetinaNet's
/// prediction convs are.
/// </remarks>
public sealed class MaskRcnnPredictor : nn.Module<Tensor, Tensor>
{
    // Field names are the state-dict keys: never rename.
    private readonly ConvTranspose2d conv5_mask;
    private readonly BlockAlignedConv2d mask_fcn_logits;

    /// <param name="inChannels">C (256).</param>
    /// <param name="dimReduced">E (256).</param>
    /// <param name="numClasses">K, background included.</param>
    public MaskRcnnPredictor(long inChannels, long dimReduced, int numClasses) : base(nameof(MaskRcnnPredictor))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 2); // background + at least one class
        conv5_mask = nn.ConvTranspose2d(inChannels, dimReduced, 2, stride: 2);
        mask_fcn_logits = new BlockAlignedConv2d(dimReduced, numClasses, kernelSize: 1);
        using (no_grad())
        {
            nn.init.kaiming_normal_(conv5_mask.weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
            nn.init.kaiming_normal_(mask_fcn_logits.Weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
        }
        NumClasses = numClasses;
        RegisterComponents();
    }

    /// <summary>K.</summary>
    public int NumClasses { get; }

    /// <param name="x">Mask head output [R, C, S, S].</param>
    /// <returns>Mask logits [R, K, 2S, 2S].</returns>
    public override Tensor forward(Tensor x) => mask_fcn_logits.call(F.relu(conv5_mask.call(x)));
}
