using TorchSharp;
using static TorchSharp.torch;

namespace Scrl.Detection.Backbones;

/// <summary>
/// BatchNorm2d with fixed statistics and affine parameters, as torchvision.ops.FrozenBatchNorm2d (same buffer names,
/// eps 1e-5, no <c>num_batches_tracked</c>). TorchVision.NET's own fails on its second forward: a tensor it keeps
/// between calls is disposed by the first call's dispose scope, so a model using it cannot train past one step.
/// </summary>
public sealed class FrozenBatchNorm2d : nn.Module<Tensor, Tensor>
{
    private const double Epsilon = 1e-5;
    private readonly Tensor weight;
    private readonly Tensor bias;
    private readonly Tensor running_mean;
    private readonly Tensor running_var;

    public FrozenBatchNorm2d(long channels) : base(nameof(FrozenBatchNorm2d))
    {
        weight = ones(channels);
        bias = zeros(channels);
        running_mean = zeros(channels);
        running_var = ones(channels);
        register_buffer(nameof(weight), weight);
        register_buffer(nameof(bias), bias);
        register_buffer(nameof(running_mean), running_mean);
        register_buffer(nameof(running_var), running_var);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor scale = weight * (running_var + Epsilon).rsqrt();
        Tensor shift = bias - running_mean * scale;
        return (input * scale.reshape(1, -1, 1, 1) + shift.reshape(1, -1, 1, 1)).MoveToOuterDisposeScope();
    }
}
