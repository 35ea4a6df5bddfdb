using Scrl.Core.Augment;
using Scrl.Core.Tests.Support;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Augment;

/// <summary>The input-consistency reshaping against golden/augment/make_aspect_padding.py.</summary>
public sealed class AspectPaddingTests
{
    [Fact]
    public void Apply_MatchesTheReferenceResizeAndMeanPadding()
    {
        using var scope = NewDisposeScope();
        var golden = Golden.Load("augment/aspect_padding.pt");
        var aspects = golden["aspects"].data<double>().ToArray();

        var padded = AspectPadding.Apply(golden["views"], aspects);

        Golden.AssertClose(golden["padded"], padded, rtol: 1e-5, atol: 1e-5, what: "padded views");
    }

    [Fact]
    public void Placement_MatchesTheReference_IncludingHalfToEvenRounding()
    {
        using var scope = NewDisposeScope();
        var golden = Golden.Load("augment/aspect_padding.pt");
        var aspects = golden["aspects"].data<double>().ToArray();
        var expected = golden["placements"].data<long>().ToArray();
        for (int n = 0; n < aspects.Length; n++)
        {
            var (h, w, top, left) = AspectPadding.Placement(32, aspects[n]);
            Assert.Equal(expected.Skip(4 * n).Take(4), new long[] { h, w, top, left });
        }
    }

    [Fact]
    public void Apply_AspectOne_LeavesTheViewAsItIs()
    {
        using var scope = NewDisposeScope();
        var views = randn(2, 3, 16, 16);
        Golden.AssertClose(views, AspectPadding.Apply(views, [1.0, 1.0]), rtol: 0, atol: 1e-6, what: "aspect 1");
    }

    [Fact]
    public void Apply_RejectsMismatchedCountsAndNonSquareViews()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => AspectPadding.Apply(zeros(2, 3, 8, 8), [1.0]));
        Assert.Throws<ArgumentException>(() => AspectPadding.Apply(zeros(1, 3, 8, 9), [1.0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => AspectPadding.Placement(8, 0));
    }
}
