using Scrl.Core.Augment;
using Scrl.Core.Randomness;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Augment;

public sealed class TwoViewAugmenterTests
{
    private static readonly AugmentOptions Options = new() { InputSize = 32 };

    /// <summary>Images of different sizes, as a loader delivers them.</summary>
    private static IReadOnlyList<Tensor> Images(int count)
    {
        var generator = new Generator(1234);
        return Enumerable.Range(0, count)
            .Select(n => randint(0, 256, [3, 40 + 7 * n, 56 - 3 * n], dtype: ScalarType.Byte, generator: generator))
            .ToArray();
    }

    private static IReadOnlyList<IRandomSource> Sources(long seed, long epoch, int count) =>
        Enumerable.Range(0, count).Select(n => (IRandomSource)SeededRandom.For(seed, epoch, n)).ToArray();

    [Fact]
    public void Apply_Batch_ReturnsNormalizedViewsAndGeometryPerImage()
    {
        var images = Images(4);
        var views = new TwoViewAugmenter(Options).Apply(images, Sources(5, 0, 4));
        Assert.Equal([4L, 3, 32, 32], views.View1.shape);
        Assert.Equal([4L, 3, 32, 32], views.View2.shape);
        Assert.Equal(ScalarType.Float32, views.View1.dtype);
        Assert.Equal(4, views.Geometry1.Count);
        for (int n = 0; n < 4; n++)
        {
            var g = views.Geometry2[n];
            Assert.True(g.Top + g.Height <= images[n].shape[1] && g.Left + g.Width <= images[n].shape[2]);
        }
        // Normalized values of [0, 1] pixels lie within [-mean/std, (1-mean)/std].
        Assert.InRange(views.View1.min().item<float>(), -2.2f, 0f);
        Assert.InRange(views.View1.max().item<float>(), 0f, 2.7f);
    }

    [Fact]
    public void Apply_SameSeedEpochAndIndex_GivesIdenticalViews()
    {
        var images = Images(3);
        var augmenter = new TwoViewAugmenter(Options);
        var a = augmenter.Apply(images, Sources(42, 3, 3));
        var b = augmenter.Apply(images, Sources(42, 3, 3));
        Assert.True(a.View1.equal(b.View1).all().item<bool>());
        Assert.True(a.View2.equal(b.View2).all().item<bool>());
        Assert.Equal(a.Geometry1, b.Geometry1);
        Assert.Equal(a.Geometry2, b.Geometry2);
    }

    [Fact]
    public void Apply_SampleInAnotherBatch_GivesTheSameViews()
    {
        var images = Images(3);
        var augmenter = new TwoViewAugmenter(Options);
        var batch = augmenter.Apply(images, Sources(8, 1, 3));
        var alone = augmenter.Apply([images[1]], [SeededRandom.For(8, 1, 1)]);
        Assert.Equal(batch.Geometry1[1], alone.Geometry1[0]);
        Assert.True(batch.View1[1].allclose(alone.View1[0], rtol: 0, atol: 1e-6));
        Assert.True(batch.View2[1].allclose(alone.View2[0], rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Apply_DifferentSeedOrEpoch_GivesDifferentViews()
    {
        var images = Images(3);
        var augmenter = new TwoViewAugmenter(Options);
        var a = augmenter.Apply(images, Sources(42, 3, 3));
        var otherSeed = augmenter.Apply(images, Sources(43, 3, 3));
        var otherEpoch = augmenter.Apply(images, Sources(42, 4, 3));
        Assert.False(a.View1.allclose(otherSeed.View1));
        Assert.False(a.View1.allclose(otherEpoch.View1));
        Assert.NotEqual(a.Geometry1, otherSeed.Geometry1);
    }

    [Fact]
    public void Apply_SameImageRepeated_EachSampleGetsItsOwnParameters()
    {
        var image = Images(1)[0];
        var batch = Enumerable.Repeat(image, 6).ToArray();
        var views = new TwoViewAugmenter(Options).Apply(batch, Sources(9, 0, 6));
        Assert.Equal(6, views.Geometry1.Distinct().Count());
        for (int n = 1; n < 6; n++) Assert.False(views.View1[n].allclose(views.View1[0]), $"sample {n} equals sample 0");
    }

    [Fact]
    public void Sampler_ManyDraws_FollowTheViewProbabilities()
    {
        var sampler = new ViewParameterSampler(new AugmentOptions());
        var draws = Enumerable.Range(0, 4000)
            .Select(n => sampler.Sample(SeededRandom.For(1, 0, n), 100, 120, ViewProbabilities.View2)).ToArray();
        Assert.InRange(draws.Count(d => d.Geometry.Flipped) / 4000.0, 0.47, 0.53);
        Assert.InRange(draws.Count(d => d.ColorJitter is not null) / 4000.0, 0.77, 0.83);
        Assert.InRange(draws.Count(d => d.Grayscale) / 4000.0, 0.18, 0.22);
        Assert.InRange(draws.Count(d => d.BlurStrength is not null) / 4000.0, 0.085, 0.115);
        Assert.InRange(draws.Count(d => d.Solarize) / 4000.0, 0.18, 0.22);
        Assert.All(draws.Where(d => d.BlurStrength is not null), d => Assert.Contains(d.BlurStrength!.Value, new[] { 1.1, 1.2, 1.5 }));
        Assert.All(draws.Select(d => d.ColorJitter).OfType<ColorJitterParameters>(), j =>
        {
            Assert.Equal(4, j.Order.Distinct().Count());
            Assert.InRange(j.Brightness, 0.6, 1.4);
            Assert.InRange(j.Contrast, 0.6, 1.4);
            Assert.InRange(j.Saturation, 0.8, 1.2);
            Assert.InRange(j.Hue, -0.1, 0.1);
        });
        Assert.Equal(24, draws.Select(d => d.ColorJitter).OfType<ColorJitterParameters>()
                              .Select(j => string.Join(",", j.Order)).Distinct().Count());   // every order occurs
    }

    [Fact]
    public void ApplyView_GaussianBlur_RendersOneViewPerImage()
    {
        var options = Options with { BlurMethod = BlurMethod.Gaussian };
        var view = new TwoViewAugmenter(options).ApplyView(Images(2), Sources(1, 0, 2), options.View1);
        Assert.Equal([2L, 3, 32, 32], view.Views.shape);
        Assert.Equal(2, view.Geometry.Count);
    }
}
