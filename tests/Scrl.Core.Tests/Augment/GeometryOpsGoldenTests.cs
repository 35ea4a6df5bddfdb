using Scrl.Core.Augment;
using Xunit.Abstractions;
using static Scrl.Core.Tests.Augment.AugmentGolden;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Augment;

/// <summary>Resizes, crops, flips and blurs against torchvision 0.14 (bicubic results clamped to [0, 1]).</summary>
public sealed class GeometryOpsGoldenTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    [Fact]
    public void FlipWhere_AllMasked_MatchesTorchvisionHflip() =>
        AssertMatches(output, "hflip", Resampling.FlipWhere(Input, tensor(new[] { true, true, true, true })), 0);

    [Fact]
    public void ResizeBicubic_Down_MatchesTorchvisionAntialiased() =>
        AssertMatches(output, "resize_down", Resampling.ResizeBicubic(Input, 16, 16), Tolerance);

    [Fact]
    public void ResizeBicubic_Up_MatchesTorchvisionAntialiased() =>
        AssertMatches(output, "resize_up", Resampling.ResizeBicubic(Input, 32, 36), Tolerance);

    [Fact]
    public void ResizeBicubic_Down_IsWithinFourUint8StepsOfPil()
    {
        // PIL rounds its horizontal pass to uint8 before the vertical one; unantialiased bicubic is 100 steps off.
        var resized = Resampling.ResizeBicubic(Input, 16, 16);
        AssertMatches(output, "resize_down_pil", resized, 4.5 / 255);
        double meanError = (resized - Get("resize_down_pil")).abs().mean().item<float>() * 255;
        output.WriteLine($"resize_down_pil: mean |error| = {meanError:F3} uint8 steps");
        Assert.True(meanError < 0.5, $"mean error {meanError} uint8 steps");
    }

    [Fact]
    public void CropAndResize_PerImageCrops_MatchPilsResizedCrop()
    {
        // The reference crops and resizes PIL images; the uint8 path rounds like PIL, bar an occasional level.
        var crops = Longs("crops");
        var views = Resampling.CropAndResize(InputImagesUint8, [.. Enumerable.Range(0, 4).Select(n =>
            new ViewGeometry((int)crops[4 * n], (int)crops[4 * n + 1], (int)crops[4 * n + 2], (int)crops[4 * n + 3], false))], 16);
        AssertMatches(output, "resized_crop_pil", views, 1.0001 / 255);
        using var levelsOff = (views - Get("resized_crop_pil")).abs().mul(255).round();
        double exact = levelsOff.eq(0).to(float32).mean().item<float>();
        output.WriteLine($"resized_crop_pil: {exact:P2} of the values exact");
        Assert.True(exact > 0.99, $"only {exact:P2} of the values equal PIL's");
    }

    [Fact]
    public void CropAndResize_InterleavedPixels_GiveTheSameViewsAsPlanarOnes()
    {
        // The decoders hand out [3, H, W] views of interleaved (HWC) pixels; the views must not depend on the layout.
        var crops = Longs("crops");
        var geometry = Enumerable.Range(0, 4).Select(n =>
            new ViewGeometry((int)crops[4 * n], (int)crops[4 * n + 1], (int)crops[4 * n + 2], (int)crops[4 * n + 3], false)).ToArray();
        var interleaved = InputImagesUint8.Select(image => image.permute(1, 2, 0).contiguous().permute(2, 0, 1)).ToArray();
        Assert.All(interleaved, image => Assert.Equal(new long[] { 1, 3 * image.shape[2], 3 }, image.stride()));

        var expected = Resampling.CropAndResize(InputImagesUint8, geometry, 16);
        var actual = Resampling.CropAndResize(interleaved, geometry, 16);
        Assert.True(actual.equal(expected).all().item<bool>());
    }

    [Theory]
    [InlineData(7, "gaussian_blur_k7")]
    [InlineData(23, "gaussian_blur_k23")]
    public void GaussianBlur_PerSampleSigma_MatchesTorchvision(int kernelSize, string golden)
    {
        var sigmas = Doubles("sigma").Select(s => (double?)s).ToList();
        AssertMatches(output, golden, GaussianBlur.Apply(Input, kernelSize, sigmas), Tolerance);
    }

    [Fact]
    public void GaussianBlur_NullSigma_LeavesThatImageUnchanged()
    {
        var result = GaussianBlur.Apply(Input, 7, [null, 1.0, null, 2.0]);
        Assert.True(result[0].equal(Input[0]).all().item<bool>());
        Assert.True(result[2].equal(Input[2]).all().item<bool>());
    }

    [Fact]
    public void ResizeBlur_PerSampleFactors_MatchesTorchvisionDownUp()
    {
        var factors = Doubles("blur_factor").Select(f => (double?)(float)f).ToList();   // golden factors are float32
        AssertMatches(output, "resize_blur", ResizeBlur.Apply(Input, factors), Tolerance);
    }

    [Theory]
    [InlineData(224, 1.1, 203)]
    [InlineData(224, 1.2, 186)]
    [InlineData(224, 1.5, 149)]
    [InlineData(20, 1.1, 18)]
    public void PythonFloorDivide_MatchesPythonFloatFloorDivision(double a, double b, double expected) =>
        Assert.Equal(expected, ResizeBlur.PythonFloorDivide(a, b));

    [Fact]
    public void EvalTransform_ResizeCentreCropNormalize_MatchesTorchvision()
    {
        var transform = new EvalTransform(new AugmentOptions { InputSize = 16 });
        AssertMatches(output, "eval_transform", transform.Apply(InputImagesUint8), Tolerance);
    }
}
