using Scrl.Core.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scrl.Detection.RoiHeads;

// Shapes: R RoIs, C input channels, J keypoints, S x S head output; heatmaps are 4S x 4S (56 x 56 for S = 14).

/// <summary>Heatmap logits per keypoint: a stride-2 transposed conv, then x2 bilinear upsampling.</summary>
/// <remarks>
/// Mirrors torchvision models/detection/keypoint_rcnn.py KeypointRCNNPredictor. Key: kps_score_lowres.* (weight
/// [C, J, 4, 4], as ConvTranspose2d stores it). Initialised kaiming_normal_ (fan_out, relu) with zero bias.
/// J = 17 is no multiple of oneDNN's channel block, whose transposed backward then returns wrong input gradients on
/// this CPU: <see cref="BlockAlignedConvTranspose2d"/> computes the same values without that defect.
/// </remarks>
public sealed class KeypointRcnnPredictor : nn.Module<Tensor, Tensor>
{
    private const long DeconvKernel = 4;
    private const double UpScale = 2;

    // Field name == state-dict key: never rename.
    private readonly BlockAlignedConvTranspose2d kps_score_lowres;

    /// <param name="inChannels">C.</param>
    /// <param name="numKeypoints">J.</param>
    public KeypointRcnnPredictor(long inChannels, int numKeypoints) : base(nameof(KeypointRcnnPredictor))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numKeypoints, 1);
        NumKeypoints = numKeypoints;
        kps_score_lowres = new BlockAlignedConvTranspose2d(inChannels, numKeypoints, DeconvKernel, stride: 2, padding: DeconvKernel / 2 - 1);
        using (no_grad())
        {
            nn.init.kaiming_normal_(kps_score_lowres.Weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
            nn.init.zeros_(kps_score_lowres.Bias);
        }
        RegisterComponents();
    }

    /// <summary>J.</summary>
    public int NumKeypoints { get; }

    /// <param name="x">[R, C, S, S].</param>
    /// <returns>Heatmap logits [R, J, 4S, 4S].</returns>
    public override Tensor forward(Tensor x)
    {
        var lowres = kps_score_lowres.call(x);                                                  // [R, J, 2S, 2S]
        return F.interpolate(lowres, scale_factor: [UpScale, UpScale], mode: InterpolationMode.Bilinear,
                             align_corners: false, recompute_scale_factor: false);
    }
}
