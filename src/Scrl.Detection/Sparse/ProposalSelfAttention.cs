using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scrl.Detection.Sparse;

// Shapes: N images, P proposals, C channels, h heads of C / h.

/// <summary>Multi-head self-attention among one image's proposals, as torch.nn.MultiheadAttention computes it.</summary>
/// <remarks>
/// The parameters are MultiheadAttention's (in_proj_weight [3C, C], in_proj_bias, out_proj), so the authors'
/// checkpoints load; the computation runs batch-first through the fused scaled-dot-product kernel.
/// </remarks>
public sealed class ProposalSelfAttention : nn.Module<Tensor, Tensor>
{
    // Field names are the state-dict keys: never rename.
    private readonly Parameter in_proj_weight;
    private readonly Parameter in_proj_bias;
    private readonly Linear out_proj;
    private readonly int _heads;

    public ProposalSelfAttention(int channels, int heads) : base(nameof(ProposalSelfAttention))
    {
        if (channels % heads != 0) throw new ArgumentException($"{channels} channels do not split into {heads} heads", nameof(heads));
        _heads = heads;
        in_proj_weight = nn.Parameter(nn.init.xavier_uniform_(empty(3 * channels, channels)));
        in_proj_bias = nn.Parameter(zeros(3 * channels));
        out_proj = nn.Linear(channels, channels);
        using (no_grad()) out_proj.bias!.zero_();
        RegisterComponents();
    }

    /// <param name="x">[N, P, C].</param>
    /// <returns>[N, P, C].</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long n = x.shape[0], p = x.shape[1], c = x.shape[2];
        var qkv = F.linear(x, in_proj_weight, in_proj_bias).view(n, p, 3, _heads, c / _heads).permute(2, 0, 3, 1, 4);   // [3, N, h, P, C/h]
        var attended = F.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2]);                                          // [N, h, P, C/h]
        return out_proj.call(attended.transpose(1, 2).reshape(n, p, c)).MoveToOuterDisposeScope();
    }
}
