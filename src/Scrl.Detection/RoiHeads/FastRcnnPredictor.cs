using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Scrl.Detection.RoiHeads;

// Shapes: R RoIs, M representation size, K classes including background.

/// <summary>Class logits and class-specific box deltas per RoI.</summary>
/// <remarks>Mirrors torchvision models/detection/faster_rcnn.py FastRCNNPredictor. Keys: cls_score.*, bbox_pred.*.</remarks>
public sealed class FastRcnnPredictor : nn.Module<Tensor, (Tensor Logits, Tensor Deltas)>
{
    // Field names are the state-dict keys: never rename.
    private readonly Linear cls_score;
    private readonly Linear bbox_pred;

    public FastRcnnPredictor(long inChannels, int numClasses) : base(nameof(FastRcnnPredictor))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 2);   // background + at least one class
        cls_score = nn.Linear(inChannels, numClasses);
        bbox_pred = nn.Linear(inChannels, numClasses * 4);
        RegisterComponents();
    }

    /// <param name="x">[R, M] or [R, M, 1, 1].</param>
    /// <returns>Logits [R, K] and deltas [R, 4K].</returns>
    public override (Tensor Logits, Tensor Deltas) forward(Tensor x)
    {
        var flat = x.flatten(1);                                     // [R, M]
        return (cls_score.call(flat), bbox_pred.call(flat));
    }
}
