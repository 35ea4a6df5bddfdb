using Scrl.Core.Augment;
using Scrl.Core.Boxes;
using Scrl.Core.Configuration;
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

    private readonly ITwoViewAugmenter _augmenter;
    private readonly SpatialBoxGenerator? _boxes;
    private readonly long _seed;

    /// <param name="boxes">Box options for SCRL; null for BYOL (image-level loss, no boxes).</param>
    public TwoViewBatchBuilder(AugmentOptions augment, BoxGenOptions? boxes, long seed)
        : this(new TwoViewAugmenter(augment), boxes, seed)
    {
    }

    /// <param name="augmenter">Makes both views of each image.</param>
    /// <param name="boxes">Box options for the RoI-level methods; null for image-level ones (no boxes).</param>
    /// <param name="seed">Root of every random draw.</param>
    public TwoViewBatchBuilder(ITwoViewAugmenter augmenter, BoxGenOptions? boxes, long seed)
    {
        ArgumentNullException.ThrowIfNull(augmenter);
        _augmenter = augmenter;
        _boxes = boxes is null ? null : new SpatialBoxGenerator(boxes);
        _seed = seed;
    }

    /// <summary>The views and boxes <paramref name="config"/>'s method trains on.</summary>
    public static TwoViewBatchBuilder ForConfig(PretrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        ITwoViewAugmenter augmenter = config.Method.UsesConsistentInputs()
            ? new InputConsistentAugmenter(config.Augment, config.InputConsistency)
            : new TwoViewAugmenter(config.Augment);
        return new TwoViewBatchBuilder(augmenter, config.Method.UsesBoxes() ? config.Boxes : null, config.Run.Seed);
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
