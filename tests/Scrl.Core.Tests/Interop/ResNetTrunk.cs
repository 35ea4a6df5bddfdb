using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Interop;

/// <summary>
/// TorchVision.NET's resnet18 without avgpool/fc: its state-dict keys are exactly torchvision's trunk keys,
/// which is the contract the interop code works against. Weights come from a seeded generator,
/// BatchNorm running statistics included, so a mis-mapped buffer changes the forward.
/// </summary>
internal sealed class ResNetTrunk : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> conv1, bn1, relu, maxpool, layer1, layer2, layer3, layer4;

    private ResNetTrunk(ResNet resnet) : base(nameof(ResNetTrunk))
    {
        var children = resnet.named_children().ToDictionary(c => c.name, c => (nn.Module<Tensor, Tensor>)c.module);
        conv1 = children["conv1"]; bn1 = children["bn1"]; relu = children["relu"]; maxpool = children["maxpool"];
        layer1 = children["layer1"]; layer2 = children["layer2"]; layer3 = children["layer3"]; layer4 = children["layer4"];
        RegisterComponents();
    }

    /// <summary>A resnet18 trunk in eval mode with every parameter and buffer drawn from <paramref name="seed"/>.</summary>
    public static ResNetTrunk Resnet18(ulong seed)
    {
        var trunk = new ResNetTrunk(torchvision.models.resnet18());
        var generator = new Generator(seed);
        using var noGrad = no_grad();
        foreach (var (name, t) in trunk.state_dict())
        {
            if (name.EndsWith("num_batches_tracked", StringComparison.Ordinal)) t.fill_(name.Length); // any non-default count
            else if (t.dim() == 4) t.copy_(randn(t.shape, generator: generator) * Math.Sqrt(2.0 / (t.shape[1] * t.shape[2] * t.shape[3])));
            else if (name.EndsWith("running_var", StringComparison.Ordinal) || name.EndsWith("weight", StringComparison.Ordinal))
                t.copy_(rand(t.shape, generator: generator) + 0.5);  // positive variances and BN scales near 1
            else t.copy_(randn(t.shape, generator: generator) * 0.1);  // BN bias and running_mean
        }
        trunk.eval();
        return trunk;
    }

    /// <summary>C5 features, [N, 512, H/32, W/32].</summary>
    public override Tensor forward(Tensor x) =>
        layer4.call(layer3.call(layer2.call(layer1.call(maxpool.call(relu.call(bn1.call(conv1.call(x))))))));

    /// <summary>Global-average-pooled C5, [N, 512]: what torchvision's resnet18 with fc = Identity returns.</summary>
    public Tensor PooledFeatures(Tensor x) => forward(x).mean([2, 3]);
}
