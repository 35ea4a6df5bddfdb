using static TorchSharp.torch;

namespace Scrl.Detection.Retina;

// Shapes: N images, D channels, K classes, T anchors per image over all levels.

/// <summary>The classification and box-regression subnets, run on every FPN level.</summary>
/// <remarks>Mirrors torchvision models/detection/retinanet.py RetinaNetHead. Keys: classification_head.*, regression_head.*.</remarks>
public sealed class RetinaNetHead : nn.Module<IReadOnlyList<Tensor>, (Tensor ClassLogits, Tensor BoxRegression)>
{
    // Field names are the state-dict keys: never rename.
    private readonly RetinaNetClassificationHead classification_head;
    private readonly RetinaNetRegressionHead regression_head;

    /// <param name="inChannels">D.</param>
    /// <param name="anchorsPerLocation">A.</param>
    /// <param name="numClasses">K.</param>
    public RetinaNetHead(long inChannels, int anchorsPerLocation, int numClasses) : base(nameof(RetinaNetHead))
    {
        classification_head = new RetinaNetClassificationHead(inChannels, anchorsPerLocation, numClasses);
        regression_head = new RetinaNetRegressionHead(inChannels, anchorsPerLocation);
        RegisterComponents();
    }

    /// <param name="features">FPN levels [N, D, H_l, W_l], finest first.</param>
    /// <returns>Class logits [N, T, K] and box deltas [N, T, 4], in anchor order.</returns>
    public override (Tensor ClassLogits, Tensor BoxRegression) forward(IReadOnlyList<Tensor> features) =>
        (classification_head.call(features), regression_head.call(features));
}
