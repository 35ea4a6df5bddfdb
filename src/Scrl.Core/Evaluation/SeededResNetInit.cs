using Scrl.Core.Models;
using static TorchSharp.torch;

namespace Scrl.Core.Evaluation;

/// <summary>
/// torchvision's ResNet initialisation (convs: kaiming_normal_, fan_out, relu; BatchNorm: weight 1, bias 0) drawn from
/// a generator of its own. Seeding the global torch generator would not do: another thread (a parallel test, a
/// pretraining job) can draw from it between the seed and the init, and the "same seed" then gives other weights.
/// </summary>
public static class SeededResNetInit
{
    public static void Apply(ResNetBackbone backbone, long seed)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in backbone.named_parameters())   // registration order: fixed for a variant
        {
            using var scope = NewDisposeScope();
            if (parameter.dim() == 4)
            {
                long fanOut = parameter.shape[0] * parameter.shape[2] * parameter.shape[3];
                var draw = randn(parameter.shape, generator: generator) * Math.Sqrt(2.0 / fanOut);   // [O, I, kh, kw]
                parameter.copy_(draw);
            }
            else if (name.EndsWith("weight", StringComparison.Ordinal)) parameter.fill_(1.0);
            else parameter.zero_();
        }
        foreach (var (name, buffer) in backbone.named_buffers())
        {
            if (name.EndsWith("running_mean", StringComparison.Ordinal)) buffer.zero_();
            else if (name.EndsWith("running_var", StringComparison.Ordinal)) buffer.fill_(1.0);
        }
    }
}
