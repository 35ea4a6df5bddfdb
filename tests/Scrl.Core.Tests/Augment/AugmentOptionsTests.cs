using Scrl.Core.Augment;

namespace Scrl.Core.Tests.Augment;

public sealed class AugmentOptionsTests
{
    [Fact]
    public void Validate_Defaults_HaveNoErrors() => Assert.Empty(new AugmentOptions().Validate());

    [Fact]
    public void Validate_SeveralBadValues_ReportsEveryOneWithItsPath()
    {
        var options = new AugmentOptions
        {
            InputSize = 0,
            CropScale = [0.5, 0.2],
            CropRatio = [1.0],
            View2 = ViewProbabilities.View2 with { Solarize = 1.5 },
            ColorJitter = new ColorJitterStrengths { Hue = 0.7 },
            NormalizeStd = [0.2, 0.0, 0.2],
        };
        var paths = options.Validate().Select(e => e.Path).ToArray();
        Assert.Equal(["augment.inputSize", "augment.cropScale", "augment.cropRatio", "augment.view2.solarize",
                      "augment.colorJitter.hue", "augment.normalizeStd"], paths);
    }

    [Theory]
    [InlineData(224, 23, 256)]
    [InlineData(96, 9, 110)]
    [InlineData(16, 1, 18)]
    public void DerivedSizes_FollowTorchvisionAndOfficialFormulas(int inputSize, int kernel, int evalResize)
    {
        var options = new AugmentOptions { InputSize = inputSize };
        Assert.Equal(kernel, options.GaussianKernelSize);
        Assert.Equal(evalResize, options.EvalResizeSize);
    }
}
