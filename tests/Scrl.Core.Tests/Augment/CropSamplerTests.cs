using Scrl.Core.Augment;
using Scrl.Core.Randomness;

namespace Scrl.Core.Tests.Augment;

public sealed class CropSamplerTests
{
    private static readonly AugmentOptions Options = new();

    [Theory]
    [InlineData(480, 640)]
    [InlineData(375, 500)]
    [InlineData(224, 224)]
    [InlineData(33, 47)]
    public void Sample_ManyDraws_CropsLieInsideImageWithAreaAndRatioInRange(int height, int width)
    {
        var sampler = new CropSampler(Options);
        var rng = new SeededRandom(7);
        double area = (double)height * width;
        for (int i = 0; i < 2000; i++)
        {
            var c = sampler.Sample(rng, height, width);
            Assert.InRange(c.Top, 0, height - c.Height);
            Assert.InRange(c.Left, 0, width - c.Width);
            Assert.True(c.Height >= 1 && c.Width >= 1);
            // w and h are rounded, so some real size within half a pixel of each must satisfy the ranges.
            Assert.True((c.Width + 0.5) * (c.Height + 0.5) >= Options.CropScale[0] * area, $"area too small: {c}");
            Assert.True((c.Width - 0.5) * (c.Height - 0.5) <= Options.CropScale[1] * area, $"area too large: {c}");
            Assert.True((c.Width + 0.5) / (c.Height - 0.5) >= Options.CropRatio[0], $"too narrow: {c}");
            Assert.True((c.Width - 0.5) / (c.Height + 0.5) <= Options.CropRatio[1], $"too wide: {c}");
        }
    }

    [Fact]
    public void Sample_ManyDraws_CoverTheScaleRange()
    {
        var sampler = new CropSampler(Options);
        var rng = new SeededRandom(11);
        var fractions = Enumerable.Range(0, 2000).Select(_ => sampler.Sample(rng, 480, 640))
                                  .Select(c => c.Height * c.Width / (480.0 * 640)).ToArray();
        Assert.True(fractions.Min() < 0.22 && fractions.Max() > 0.95, $"fractions span [{fractions.Min()}, {fractions.Max()}]");
    }

    [Fact]
    public void Sample_RejectedThenAcceptedAttempt_FollowsTorchvisionFormula()
    {
        double logMax = Math.Log(4.0 / 3.0);
        // Try 1: area 20000 * 1.0 at ratio 4/3 -> w 163, h 122 > 100, rejected. Try 2: area 10000, ratio 1 -> 100 x 100.
        var rng = new ScriptedRandom([1.0 - 1e-12, logMax - 1e-12, 0.5, 0.0], [0, 37]);
        var crop = new CropSampler(Options).Sample(rng, 100, 200);
        Assert.Equal(new ViewGeometry(0, 37, 100, 100, false), crop);
        Assert.True(rng.Exhausted);
    }

    [Fact]
    public void Sample_SideOfExactlyHalfPixel_RoundsHalfToEvenLikePython()
    {
        // sqrt(100 * 0.4225) = 6.5 and Python's round(6.5) is 6.
        var rng = new ScriptedRandom([0.4225, 0.0], [2, 3]);
        Assert.Equal(new ViewGeometry(2, 3, 6, 6, false), new CropSampler(Options).Sample(rng, 10, 10));
    }

    [Fact]
    public void Sample_ImageTooWideForAnyCrop_FallsBackToCentreCropWithMaxRatio()
    {
        // A 10 x 1000 image admits no crop with ratio <= 4/3 and area >= 20%, so all 10 tries fail.
        var crop = new CropSampler(Options).Sample(new SeededRandom(3), 10, 1000);
        Assert.Equal(new ViewGeometry(0, (1000 - 13) / 2, 10, 13, false), crop);   // w = round(10 * 4/3) = 13
    }

    [Fact]
    public void Sample_ImageTooTallForAnyCrop_FallsBackToCentreCropWithMinRatio()
    {
        var crop = new CropSampler(Options).Sample(new SeededRandom(3), 1000, 10);
        Assert.Equal(new ViewGeometry((1000 - 13) / 2, 0, 13, 10, false), crop);   // h = round(10 / (3/4)) = 13
    }

    [Fact]
    public void Sample_SameSeed_GivesSameCrops()
    {
        var sampler = new CropSampler(Options);
        var (a, b) = (SeededRandom.For(1, 2, 3), SeededRandom.For(1, 2, 3));
        for (int i = 0; i < 50; i++) Assert.Equal(sampler.Sample(a, 300, 400), sampler.Sample(b, 300, 400));
    }
}
