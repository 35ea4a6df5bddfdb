using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Scrl.Detection.Sparse;

// Shapes: B = N * P proposals, C channels, D dynamic width, S x S pooled bins.

/// <summary>
/// Dynamic instance interaction: each proposal's feature generates the weights of two 1x1 convolutions
/// (C -> D -> C) that filter its own RoI features, which are then flattened into one C-vector.
/// </summary>
/// <remarks>Mirrors the authors' head.py DynamicConv; keys dynamic_layer, norm1..3, out_layer.</remarks>
public sealed class DynamicConv : nn.Module<Tensor, Tensor, Tensor>
{
    // Field names are the state-dict keys: never rename.
    private readonly Linear dynamic_layer;
    private readonly LayerNorm norm1;
    private readonly LayerNorm norm2;
    private readonly Linear out_layer;
    private readonly LayerNorm norm3;
    private readonly long _channels;
    private readonly long _dynamic;

    public DynamicConv(int channels, int dynamicDim, int poolSize) : base(nameof(DynamicConv))
    {
        _channels = channels;
        _dynamic = dynamicDim;
        dynamic_layer = nn.Linear(channels, 2L * channels * dynamicDim);
        norm1 = nn.LayerNorm(dynamicDim);
        norm2 = nn.LayerNorm(channels);
        out_layer = nn.Linear((long)channels * poolSize * poolSize, channels);
        norm3 = nn.LayerNorm(channels);
        RegisterComponents();
    }

    /// <param name="proposals">[B, C] proposal features.</param>
    /// <param name="rois">[B, S*S, C] RoI features, bins major.</param>
    /// <returns>[B, C].</returns>
    public override Tensor forward(Tensor proposals, Tensor rois)
    {
        using var scope = NewDisposeScope();
        long b = proposals.shape[0], half = _channels * _dynamic;
        var parameters = dynamic_layer.call(proposals);                                  // [B, 2 C D]
        var first = parameters.narrow(1, 0, half).view(b, _channels, _dynamic);          // [B, C, D]
        var second = parameters.narrow(1, half, half).view(b, _dynamic, _channels);      // [B, D, C]
        var x = nn.functional.relu(norm1.call(bmm(rois, first)));                        // [B, S*S, D]
        x = nn.functional.relu(norm2.call(bmm(x, second)));                              // [B, S*S, C]
        return nn.functional.relu(norm3.call(out_layer.call(x.flatten(1)))).MoveToOuterDisposeScope();
    }
}
