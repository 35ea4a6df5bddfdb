using Scrl.Core.Augment;
using Scrl.Core.Boxes;
using Scrl.Core.Tests.Support;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Boxes;

/// <summary>Replays the numpy draws of a Python port of SCRLBoxGenerator.generate (golden/boxes/make_boxgen.py).</summary>
public class SpatialBoxGeneratorGoldenTests
{
    [Theory]
    [InlineData("grid", true, false)]
    [InlineData("nongrid", false, false)]
    [InlineData("jitter", true, true)]
    public void Generate_ReplayedNumpyDraws_ReproducesReferenceBoxes(string scenario, bool gridBased, bool jitter)
    {
        using var scope = NewDisposeScope();
        var golden = Golden.Load("boxes/boxgen.pt");
        var draws = new ReplayedDraws(
            golden[$"{scenario}.draw_kind"].data<byte>().ToArray(),
            golden[$"{scenario}.randint"].data<int>().ToArray(),
            ToArray<double>(golden[$"{scenario}.uniform"]));
        var generator = new SpatialBoxGenerator(new BoxGenOptions { GridBased = gridBased, Jitter = jitter });

        var pairs = generator.Generate(Views(golden["view1"]), Views(golden["view2"]), draws);

        Assert.Equal(0, draws.Remaining);
        Assert.Equal(golden[$"{scenario}.boxes_per_image"].data<long>().Select(n => (int)n), pairs.BoxesPerImage);
        Assert.Equal((int)golden[$"{scenario}.fallback_count"][0].item<long>(), pairs.FallbackCount);
        AssertBitIdentical(golden[$"{scenario}.rois1"], pairs.Rois1, "view-1 rois");
        AssertBitIdentical(golden[$"{scenario}.rois2"], pairs.Rois2, "view-2 rois");
    }

    private static void AssertBitIdentical(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(expected.dtype, actual.dtype);
        var e = ToArray<float>(expected);
        var a = ToArray<float>(actual.contiguous());
        for (int i = 0; i < e.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(e[i]) == BitConverter.SingleToInt32Bits(a[i]),
                $"{what}: element {i} (row {i / 5}, column {i % 5}) is {a[i]:G9}, the reference's {e[i]:G9}");
    }

    // TorchSharp's data<T>().ToArray() throws on an empty tensor (scenarios without jitter draw no uniforms).
    private static T[] ToArray<T>(Tensor t) where T : unmanaged => t.numel() == 0 ? [] : t.data<T>().ToArray();

    /// <param name="rows">[B, 5] int64 = (top, left, height, width, flipped), original px.</param>
    private static ViewGeometry[] Views(Tensor rows)
    {
        var v = rows.data<long>().ToArray();
        return Enumerable.Range(0, (int)rows.shape[0])
            .Select(i => new ViewGeometry((int)v[5 * i], (int)v[5 * i + 1], (int)v[5 * i + 2], (int)v[5 * i + 3], v[5 * i + 4] != 0))
            .ToArray();
    }
}
