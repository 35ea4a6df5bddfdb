using Scrl.Core.Augment;
using Scrl.Core.Boxes;
using Scrl.Core.Data.Loading;
using Scrl.Core.Randomness;
using static TorchSharp.torch;

namespace Scrl.Core.Training;

/// <summary>
/// Decoded images -> two augmented views and their spatially consistent box pairs. Runs on loader threads.
/// Every random draw comes from generators derived from (seed, epoch, sample) or (seed, epoch, batch), so the
/// batch is the same whether the run is fresh or resumed, and whatever the worker count.
/// </summary>
public sealed class TwoViewBatchBuilder
{
    private const ulong AugmentStream = 1;
    private const ulong BoxStream = 2;

    private readonly TwoViewAugmenter _augmenter;
    private readonly SpatialBoxGenerator? _boxes;
    private readonly long _seed;

    /// <param name="boxes">Box options for SCRL; null for BYOL (image-level loss, no boxes).</param>
    public TwoViewBatchBuilder(AugmentOptions augment, BoxGenOptions? boxes, long seed)
    {
        _augmenter = new TwoViewAugmenter(augment);
        _boxes = boxes is null ? null : new SpatialBoxGenerator(boxes);
        _seed = seed;
    }

    public TwoViewBatch Build(ImageBatch batch)
    {
        int epoch = batch.Position.Epoch;
        var rngs = batch.SampleIndices.Select(i => (IRandomSource)SeededRandom.For(_seed, epoch, i, AugmentStream)).ToArray();
        using var scope = NewDisposeScope();
        var views = _augmenter.Apply(batch.Images, rngs);
        var stacked = cat([views.View1, views.View2]);                            // [2B, 3, S, S]

        Tensor? rois = null;
        int imagesWithBoxes = 0;
        if (_boxes is not null)
        {
            var rng = SeededRandom.For(_seed, epoch, batch.Position.BatchIndex, BoxStream);
            var pairs = _boxes.Generate(views.Geometry1, views.Geometry2, rng);
            imagesWithBoxes = pairs.BoxesPerImage.Count(n => n > 0);
            if (pairs.Rois1.shape[0] > 0)
                rois = cat([pairs.Rois1, pairs.Rois2]);                           // [2R, 5]
        }
        var labels = batch.Labels is null ? null : tensor(batch.Labels.Select(l => (long)l).ToArray());   // [B]

        // The consumer owns the batch and disposes it after its step: no scope may own these tensors.
        return new TwoViewBatch(stacked.DetachFromDisposeScope(), rois?.DetachFromDisposeScope(),
                                labels?.DetachFromDisposeScope(), batch.Position, imagesWithBoxes);
    }
}
