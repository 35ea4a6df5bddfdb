using Scrl.Core.Augment;
using Scrl.Core.Tests.Support;
using Xunit.Abstractions;
using static Scrl.Core.Tests.Augment.AugmentGolden;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Augment;

/// <summary>Batched colour ops, one factor per image, against torchvision 0.14 applied image by image.</summary>
public sealed class ColorOpsGoldenTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    private static Tensor Factors(string name) => tensor(Doubles(name), dtype: float32);   // [4]

    [Fact]
    public void Brightness_PerSampleFactors_MatchTorchvision() =>
        AssertMatches(output, "brightness", ColorOps.Brightness(Input, Factors("brightness_factor")), Tolerance);

    [Fact]
    public void Contrast_PerSampleFactors_MatchTorchvision() =>
        AssertMatches(output, "contrast", ColorOps.Contrast(Input, Factors("contrast_factor")), Tolerance);

    [Fact]
    public void Saturation_PerSampleFactors_MatchTorchvision() =>
        AssertMatches(output, "saturation", ColorOps.Saturation(Input, Factors("saturation_factor")), Tolerance);

    [Fact]
    public void Hue_PerSampleShiftsIncludingNegative_MatchTorchvision() =>
        AssertMatches(output, "hue", HueOps.AdjustHue(Input, Factors("hue_factor")), Tolerance);

    [Fact]
    public void Hue_EveryChannelTieAndSectorBoundaryShift_MatchesTorchvision() =>
        AssertMatches(output, "hue_ties_adjusted", HueOps.AdjustHue(Get("hue_ties"), Get("hue_ties_shift")), Tolerance);

    [Fact]
    public void Grayscale_ThreeChannels_MatchesTorchvision() =>
        AssertMatches(output, "grayscale", ColorOps.Grayscale(Input), Tolerance);

    [Fact]
    public void GrayscaleWhere_OnlyMaskedImagesTurnGray()
    {
        var result = ColorOps.GrayscaleWhere(Input, tensor(new[] { true, false, true, false }));
        var gray = tensor(new long[] { 0, 2 });
        var kept = tensor(new long[] { 1, 3 });
        Golden.AssertClose(Get("grayscale").index_select(0, gray), result.index_select(0, gray), rtol: 0, atol: Tolerance, what: "gray");
        Assert.True(result.index_select(0, kept).equal(Input.index_select(0, kept)).all().item<bool>());
    }

    [Fact]
    public void Solarize_QuantisedImages_MatchTorchvisionAndPilExactly()
    {
        var all = tensor(new[] { true, true, true, true });
        var result = ColorOps.SolarizeWhere(Input, all);
        AssertMatches(output, "solarize", result, 0);
        AssertMatches(output, "solarize_pil", result, 1e-7);   // PIL's (255 - v) / 255 vs our 1 - v / 255
    }

    [Fact]
    public void SolarizeWhere_UnmaskedImages_AreUnchanged()
    {
        var result = ColorOps.SolarizeWhere(Input, tensor(new[] { false, false, false, false }));
        Assert.True(result.equal(Input).all().item<bool>());
    }

    [Fact]
    public void Normalize_ImageNetStatistics_MatchTorchvision()
    {
        var options = new AugmentOptions();
        AssertMatches(output, "normalize", ColorOps.Normalize(Input, options.NormalizeMean, options.NormalizeStd), Tolerance);
    }

    [Fact]
    public void ColorJitter_PerImageOrderAndFactors_MatchesTorchvisionComposition()
    {
        var order = Longs("jitter_order");
        var (b, c, s, h) = (Doubles("brightness_factor"), Doubles("contrast_factor"), Doubles("saturation_factor"), Doubles("hue_factor"));
        var draws = Enumerable.Range(0, 4).Select(n => (ColorJitterParameters?)new ColorJitterParameters(
            order.Skip(4 * n).Take(4).Select(o => (ColorJitterOp)o).ToArray(), b[n], c[n], s[n], h[n])).ToList();
        AssertMatches(output, "color_jitter", ColorJitter.Apply(Input, draws), Tolerance);
    }

    [Fact]
    public void ColorJitter_NullDraw_LeavesThatImageUnchanged()
    {
        var draw = new ColorJitterParameters(
            [ColorJitterOp.Hue, ColorJitterOp.Brightness, ColorJitterOp.Contrast, ColorJitterOp.Saturation], 1.3, 0.7, 1.1, 0.05);
        var result = ColorJitter.Apply(Input, [draw, null, draw, null]);
        Assert.True(result[1].equal(Input[1]).all().item<bool>());
        Assert.True(result[3].equal(Input[3]).all().item<bool>());
        Assert.False(result[0].allclose(Input[0]));
    }
}
