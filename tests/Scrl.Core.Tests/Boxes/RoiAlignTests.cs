using Scrl.Core.Boxes;
using Scrl.Core.Tests.Support;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Boxes;

public class RoiAlignTests
{
    private const string GoldenFile = "boxes/roialign.pt";

    public static TheoryData<int> AllCases()
    {
        var data = new TheoryData<int>();
        for (int k = 0; k < CaseCount(); k++) data.Add(k);
        return data;
    }

    private static int CaseCount()
    {
        using var scope = NewDisposeScope();
        return (int)Golden.Load(GoldenFile)["count"][0].item<long>();
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Apply_MatchesTorchvisionForwardAndInputGradient(int k) => AssertMatchesGolden(k);

    [Fact]
    public void Apply_ScrlConfiguration_MatchesTorchvision() => AssertMatchesGolden(CaseCount() - 1);   // written last

    [Fact]
    public void Apply_NoRois_ReturnsEmptyPooledTensor()
    {
        using var scope = NewDisposeScope();
        var pooled = RoiAlign.Apply(randn(2, 3, 7, 7), zeros(0, 5), 2, 3, 1.0 / 32, -1, aligned: false);
        Assert.Equal(new long[] { 0, 3, 2, 3 }, pooled.shape);
    }

    [Fact]
    public void Apply_RoisNotFiveColumns_Throws()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => RoiAlign.Apply(randn(1, 1, 7, 7), zeros(3, 4), 1, 1, 1.0, -1, false));
    }

    private static void AssertMatchesGolden(int k)
    {
        using var scope = NewDisposeScope();
        var golden = Golden.Load(GoldenFile);
        var p = golden[$"{k}.params"].data<double>().ToArray();  // (PH, PW, scale, sr, aligned, map index)
        var input = golden[$"map.{(int)p[5]}"].clone().requires_grad_(true);   // [N, C, H, W]
        var rois = golden[$"{k}.rois"];                                          // [R, 5] xyxy image px

        var pooled = RoiAlign.Apply(input, rois, (long)p[0], (long)p[1], p[2], (int)p[3], aligned: p[4] != 0);
        (pooled * golden[$"{k}.upstream"]).sum().backward();

        Golden.AssertClose(golden[$"{k}.output"], pooled, rtol: 1e-5, atol: 1e-6, what: $"case {k} output");
        Golden.AssertClose(golden[$"{k}.grad_input"], input.grad!, rtol: 1e-5, atol: 1e-6, what: $"case {k} grad");
    }
}
