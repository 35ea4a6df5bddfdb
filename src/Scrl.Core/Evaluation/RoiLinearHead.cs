using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Scrl.Core.Evaluation;

// Shapes: R RoIs, D feature size, K classes.

/// <summary>
/// The linear classifier of the protocol: a parameter-free BatchNorm over the features (so backbones whose
/// features differ in scale get the same learning rate; at test time it is a fixed affine map and folds into the
/// linear layer), then one linear layer. The linear layer starts at zero, so training draws no random numbers.
/// </summary>
public sealed class RoiLinearHead : nn.Module<Tensor, Tensor>
{
    private readonly BatchNorm1d norm;
    private readonly Linear fc;

    public RoiLinearHead(long featureSize, int classCount) : base(nameof(RoiLinearHead))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(featureSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        norm = nn.BatchNorm1d(featureSize, affine: false);
        fc = nn.Linear(featureSize, classCount);
        using (no_grad())
        {
            fc.weight!.zero_();
            fc.bias!.zero_();
        }
        RegisterComponents();
    }

    /// <param name="features">[R, D].</param>
    /// <returns>Logits [R, K].</returns>
    public override Tensor forward(Tensor features)
    {
        if (features.dim() != 2) throw new ArgumentException($"features must be [R, D], got [{string.Join(", ", features.shape)}]", nameof(features));
        return fc.call(norm.call(features));
    }
}
