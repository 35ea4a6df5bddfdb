using Scrl.Core.Training;
using Scrl.Detection.Poolers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Scrl.Detection.Sparse;

// Shapes: N images, P proposals per image, C channels, K classes, T stages.

/// <summary>The T iterative stages: each refines the previous stage's boxes, which are detached, as the authors' DynamicHead.</summary>
/// <remarks>Keys head_series.{t}.*. Init: xavier-uniform on every matrix, class biases at the prior probability.</remarks>
public sealed class SparseRcnnHead : nn.Module
{
    // Field names are the state-dict keys: never rename.
    private readonly ModuleList<SparseRcnnStage> head_series;
    private readonly MultiScaleRoiAlign _pooler;

    public SparseRcnnHead(SparseRcnnOptions options, PhaseTimer? timer = null) : base(nameof(SparseRcnnHead))
    {
        head_series = nn.ModuleList(Enumerable.Range(0, options.Stages).Select(_ => new SparseRcnnStage(options)).ToArray());
        _pooler = new MultiScaleRoiAlign(["0", "1", "2", "3"], options.PoolSize, samplingRatio: 2, timer, PoolerFlavor.Detectron2);
        RegisterComponents();
        using var noGrad = no_grad();
        foreach (var (_, p) in named_parameters())
            if (p.dim() > 1) nn.init.xavier_uniform_(p);
        foreach (var stage in head_series) stage.InitClassBias(options.PriorProbability);
    }

    public int Stages => head_series.Count;

    /// <param name="features">FPN levels by name ("0".."3" are pooled), [N, C, H_l, W_l].</param>
    /// <param name="boxes">[N, P, 4] initial boxes, xyxy px of the padded batch.</param>
    /// <param name="proposals">[P, C] initial proposal features, shared by every image.</param>
    /// <param name="imageSizes">Resized (height, width) per image.</param>
    /// <param name="stages">Stages to run: all for training (every stage is supervised), fewer only for inspection.</param>
    /// <returns>Per stage, class logits [N, P, K] and boxes [N, P, 4].</returns>
    public IReadOnlyList<(Tensor Logits, Tensor Boxes)> Forward(IReadOnlyDictionary<string, Tensor> features, Tensor boxes, Tensor proposals,
                                                                IReadOnlyList<(long Height, long Width)> imageSizes, int? stages = null)
    {
        var outputs = new List<(Tensor, Tensor)>(Stages);
        var table = _pooler.Prepare(features);                             // every stage pools the same maps
        var x = proposals.unsqueeze(0).expand(boxes.shape[0], -1, -1);   // [N, P, C]
        foreach (var stage in head_series.Take(stages ?? Stages))
        {
            var (logits, refined, next) = stage.Forward(table, boxes, x, _pooler, imageSizes);
            outputs.Add((logits, refined));
            boxes = refined.detach();
            x = next;
        }
        return outputs;
    }
}
