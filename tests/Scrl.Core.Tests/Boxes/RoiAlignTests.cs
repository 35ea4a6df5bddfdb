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

    /// <summary>The golden cases with a fixed sampling ratio, the ones <see cref="EmbeddingBagRoiAlign"/> takes.</summary>
    public static TheoryData<int> FixedRatioCases()
    {
        using var scope = NewDisposeScope();
        var golden = Golden.Load(GoldenFile);
        var data = new TheoryData<int>();
        for (int k = 0; k < CaseCount(); k++)
            if (golden[$"{k}.params"][3].item<double>() > 0) data.Add(k);
        return data;
    }

    private static int CaseCount()
    {
        using var scope = NewDisposeScope();
        return (int)Golden.Load(GoldenFile)["count"][0].item<long>();
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Apply_MatchesTorchvisionForwardAndInputGradient(int k) => AssertMatchesGolden(k, RoiAlign.Apply);

    [Theory]
    [MemberData(nameof(FixedRatioCases))]
    public void EmbeddingBag_MatchesTorchvisionForwardAndInputGradient(int k) => AssertMatchesGolden(k, EmbeddingBagRoiAlign.Apply);

    [Fact]
    public void EmbeddingBag_AdaptiveSamplingRatio_Throws()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddingBagRoiAlign.Apply(randn(1, 1, 7, 7), zeros(1, 5), 2, 2, 1.0, 0, false));
    }

    [Fact]
    public void EmbeddingBag_OneTablePooledThreeTimes_EqualsThreeSeparateCalls_GradientsIncluded()
    {
        using var scope = NewDisposeScope();
        var levels = new[] { randn(2, 3, 16, 20), randn(2, 3, 8, 10) };
        var rois = tensor(new float[,] { { 0, 2, 3, 30, 40 }, { 1, 10, 5, 60, 50 }, { 0, 1, 1, 9, 7 } });
        var levelOfRoi = tensor(new long[] { 0, 1, 0 });
        double[] scales = [0.25, 0.125];
        var separate = levels.Select(l => l.clone().requires_grad_(true)).ToArray();
        var shared = levels.Select(l => l.clone().requires_grad_(true)).ToArray();

        var expected = Enumerable.Range(0, 3).Select(i => EmbeddingBagRoiAlign.Apply(separate, Shifted(rois, i), levelOfRoi, scales, 7, 7, 2, aligned: true)).ToList();
        var table = PoolingTable.Of(shared);
        var actual = Enumerable.Range(0, 3).Select(i => EmbeddingBagRoiAlign.Apply(table, Shifted(rois, i), levelOfRoi, scales, 7, 7, 2, aligned: true)).ToList();
        expected.Aggregate((a, b) => a + b).square().sum().backward();
        actual.Aggregate((a, b) => a + b).square().sum().backward();

        for (int i = 0; i < 3; i++) Golden.AssertClose(expected[i], actual[i], rtol: 0, atol: 1e-6, what: $"pooling {i}");
        for (int l = 0; l < 2; l++) Golden.AssertClose(separate[l].grad!, shared[l].grad!, rtol: 1e-6, atol: 1e-5, what: $"level {l} gradient");
    }

    // Moves the boxes by `pixels`, keeping their image index.
    private static Tensor Shifted(Tensor rois, int pixels) => rois + tensor(new float[] { 0, pixels, pixels, pixels, pixels });

    [Fact]
    public void EmbeddingBag_NoRois_ReturnsEmptyPooledTensor()
    {
        using var scope = NewDisposeScope();
        var pooled = EmbeddingBagRoiAlign.Apply(randn(2, 3, 7, 7), zeros(0, 5), 7, 7, 1.0 / 4, 2, aligned: false);
        Assert.Equal(new long[] { 0, 3, 7, 7 }, pooled.shape);
    }

    /// <summary>Several levels in one call give what pooling each RoI from its own level alone gives, gradients included.</summary>
    [Fact]
    public void EmbeddingBag_SeveralLevels_MatchesPoolingEachLevelAlone()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(5);
        var fine = randn([2, 3, 16, 12], generator: generator).requires_grad_(true);              // stride 4
        var coarse = randn([2, 3, 8, 6], generator: generator).requires_grad_(true);              // stride 8
        var corner = rand([10, 2], generator: generator) * 40;
        var rois = cat([(arange(10) % 2).to(ScalarType.Float32).view(-1, 1), corner, corner + 4 + rand([10, 2], generator: generator) * 20], 1);   // [10, 5]
        var level = arange(10) % 3 % 2;                                                             // [10]: 0 1 0 0 1 0 ...
        var upstream = randn([10, 3, 7, 7], generator: generator);

        var pooled = EmbeddingBagRoiAlign.Apply([fine, coarse], rois, level, [0.25, 0.125], 7, 7, 2, aligned: false);
        (pooled * upstream).sum().backward();
        var (fineGrad, coarseGrad) = (fine.grad!.clone(), coarse.grad!.clone());
        fine.grad!.zero_();
        coarse.grad!.zero_();
        var expected = zeros_like(pooled);
        foreach (var (map, scale, l) in new[] { (fine, 0.25, 0L), (coarse, 0.125, 1L) })
        {
            var members = nonzero(level.eq(l)).view(-1);
            var alone = RoiAlign.Apply(map, rois.index_select(0, members), 7, 7, scale, 2, aligned: false);
            (alone * upstream.index_select(0, members)).sum().backward();
            expected.index_copy_(0, members, alone.detach());
        }

        Golden.AssertClose(expected, pooled, rtol: 1e-5, atol: 1e-6, what: "pooled");
        Golden.AssertClose(fine.grad!, fineGrad, rtol: 1e-5, atol: 1e-6, what: "fine level grad");
        Golden.AssertClose(coarse.grad!, coarseGrad, rtol: 1e-5, atol: 1e-6, what: "coarse level grad");
    }

    [Fact]
    public void Apply_ScrlConfiguration_MatchesTorchvision() => AssertMatchesGolden(CaseCount() - 1, RoiAlign.Apply);   // written last

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

    private delegate Tensor RoiAlignVariant(Tensor input, Tensor rois, long outputHeight, long outputWidth, double spatialScale, int samplingRatio, bool aligned);

    private static void AssertMatchesGolden(int k, RoiAlignVariant apply)
    {
        using var scope = NewDisposeScope();
        var golden = Golden.Load(GoldenFile);
        var p = golden[$"{k}.params"].data<double>().ToArray();  // (PH, PW, scale, sr, aligned, map index)
        var input = golden[$"map.{(int)p[5]}"].clone().requires_grad_(true);   // [N, C, H, W]
        var rois = golden[$"{k}.rois"];                                          // [R, 5] xyxy image px

        var pooled = apply(input, rois, (long)p[0], (long)p[1], p[2], (int)p[3], aligned: p[4] != 0);
        (pooled * golden[$"{k}.upstream"]).sum().backward();

        Golden.AssertClose(golden[$"{k}.output"], pooled, rtol: 1e-5, atol: 1e-6, what: $"case {k} output");
        Golden.AssertClose(golden[$"{k}.grad_input"], input.grad!, rtol: 1e-5, atol: 1e-6, what: $"case {k} grad");
    }
}
