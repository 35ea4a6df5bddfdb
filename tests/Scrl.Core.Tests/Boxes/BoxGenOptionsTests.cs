using Scrl.Core.Boxes;

namespace Scrl.Core.Tests.Boxes;

public class BoxGenOptionsTests
{
    [Fact]
    public void Defaults_MatchScrlConfigAndAreValid()
    {
        var options = new BoxGenOptions();
        Assert.Empty(options.Validate());
        Assert.Equal((224, 10, 32, 0.5, 50, true, false, 0.1),
            (options.InputSize, options.BoxesPerImage, options.MinSize, options.IouThreshold, options.MaxAttempts,
             options.GridBased, options.Jitter, options.JitterRatio));
    }

    [Fact]
    public void Validate_ReportsEveryProblemWithItsPath()
    {
        var options = new BoxGenOptions { BoxesPerImage = 0, MinSize = 224, IouThreshold = 0, MaxAttempts = 0, JitterRatio = 1 };
        var paths = options.Validate("scrl.boxes").Select(e => e.Path).ToArray();
        Assert.Equal(["scrl.boxes.boxesPerImage", "scrl.boxes.minSize", "scrl.boxes.iouThreshold",
                      "scrl.boxes.maxAttempts", "scrl.boxes.jitterRatio"], paths);
    }

    [Fact]
    public void Generator_InvalidOptions_Throws() =>
        Assert.Throws<ArgumentException>(() => new SpatialBoxGenerator(new BoxGenOptions { InputSize = 0 }));
}
