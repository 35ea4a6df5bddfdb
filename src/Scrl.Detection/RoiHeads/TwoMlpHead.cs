using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scrl.Detection.RoiHeads;

// Shapes: R RoIs, C*S*S pooled features per RoI, M representation size.

/// <summary>Two fully connected layers with ReLU on flattened RoI features.</summary>
/// <remarks>Mirrors torchvision models/detection/faster_rcnn.py TwoMLPHead. Keys: fc6.*, fc7.*.</remarks>
public sealed class TwoMlpHead : nn.Module<Tensor, Tensor>
{
    // Field names are the state-dict keys: never rename.
    private readonly Linear fc6;
    private readonly Linear fc7;

    /// <param name="inChannels">C*S*S (256*7*7 for R50-FPN).</param>
    /// <param name="representationSize">M (1024).</param>
    public TwoMlpHead(long inChannels, long representationSize) : base(nameof(TwoMlpHead))
    {
        fc6 = nn.Linear(inChannels, representationSize);
        fc7 = nn.Linear(representationSize, representationSize);
        RegisterComponents();
    }

    /// <param name="x">[R, C, S, S].</param>
    /// <returns>[R, M].</returns>
    public override Tensor forward(Tensor x) => F.relu(fc7.call(F.relu(fc6.call(x.flatten(1)))));
}
