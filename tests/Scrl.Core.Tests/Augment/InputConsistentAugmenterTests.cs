using Scrl.Core.Augment;
using Scrl.Core.Randomness;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Augment;

public sealed class InputConsistentAugmenterTests
{
    private static readonly AugmentOptions Options = new() { InputSize = 32 };

    private static IReadOnlyList<Tensor> Images(int count)
    {
        var generator = new Generator(99);
        return Enumerable.Range(0, count)
            .Select(n => randint(0, 256, [3, 40 + 7 * n, 56 - 3 * n], dtype: ScalarType.Byte, generator: generator))
            .ToArray();
    }

    private static IReadOnlyList<IRandomSource> Sources(int count) =>
        Enumerable.Range(0, count).Select(n => (IRandomSource)SeededRandom.For(11, 0, n)).ToArray();

    [Fact]
    public void Apply_BothViewsShareOneCropAndFlip_AndDifferInAppearance()
    {
        using var scope = NewDisposeScope();
        var images = Images(6);
        var views = new InputConsistentAugmenter(Options, new InputConsistencyOptions()).Apply(images, Sources(6));

        Assert.Equal([6L, 3, 32, 32], views.View1.shape);
        Assert.Equal(views.Geometry1, views.Geometry2);
        Assert.Contains(views.Geometry1, g => g.Height < 40);                    // random resized crops, not whole images
        Assert.False(views.View1.equal(views.View2).all().item<bool>());
    }

    [Fact]
    public void Apply_WithoutPhotometricChangesOrAspectRange_GivesTwoIdenticalViews()
    {
        using var scope = NewDisposeScope();
        var none = new ViewProbabilities { HorizontalFlip = 0.5, ColorJitter = 0, Grayscale = 0, Blur = 0, Solarize = 0 };
        var options = Options with { View1 = none, View2 = none };
        var views = new InputConsistentAugmenter(options, new InputConsistencyOptions { AspectRatio = [1.0, 1.0] })
            .Apply(Images(4), Sources(4));
        // Same region, same flip, same aspect: the content is the same, so the pixels are too.
        Assert.True(views.View1.equal(views.View2).all().item<bool>());
    }

    [Fact]
    public void Apply_WholeImage_CutsBothViewsFromTheWholeImage_AndPadsWithTheMean()
    {
        using var scope = NewDisposeScope();
        var images = Images(3);
        var views = new InputConsistentAugmenter(Options, new InputConsistencyOptions { WholeImage = true, AspectRatio = [0.5, 0.5] })
            .Apply(images, Sources(3));
        for (int n = 0; n < 3; n++)
            Assert.Equal((0, 0, (int)images[n].shape[1], (int)images[n].shape[2]),
                         (views.Geometry1[n].Top, views.Geometry1[n].Left, views.Geometry1[n].Height, views.Geometry1[n].Width));
        // Aspect 0.5 at 32 px: a 16-px-wide view in columns 8..23, zeros (the normalized mean) on either side.
        Assert.Equal(0, views.View1.narrow(3, 0, 8).abs().max().item<float>());
        Assert.Equal(0, views.View2.narrow(3, 24, 8).abs().max().item<float>());
        Assert.True(views.View1.narrow(3, 8, 16).abs().max().item<float>() > 0);
    }

    [Fact]
    public void Constructor_RejectsABadAspectRange()
    {
        Assert.Throws<ArgumentException>(() => new InputConsistentAugmenter(Options, new InputConsistencyOptions { AspectRatio = [2.0, 1.0] }));
    }
}
