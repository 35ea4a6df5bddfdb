using Scrl.Core.Boxes;
using Scrl.Core.Tests.Support;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Boxes;

public class BoxOpsTests
{
    [Fact]
    public void PairwiseIou_HandComputedPairs_UseContinuousCoordinates()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 0, 0, 2, 2, 10, 10, 12, 14 }, [2, 4]);             // [2, 4] xyxy px
        var b = tensor(new float[] { 1, 0, 3, 2, 0, 0, 2, 2, 2, 0, 4, 2 }, [3, 4]);     // [3, 4]
        var expected = tensor(new float[] { 2f / 6, 1, 0, 0, 0, 0 }, [2, 3]);           // touching edges overlap 0
        Golden.AssertClose(expected, BoxOps.PairwiseIou(a, b), rtol: 0, atol: 1e-7, what: "iou");
    }

    [Fact]
    public void PairwiseIou_RandomBoxes_MatchesTorchVisionBoxIou()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(42);
        Tensor RandomBoxes(long n)
        {
            var corner = rand(n, 2, generator: generator) * 200;                        // [n, 2]
            var size = rand(n, 2, generator: generator) * 100 + 1;                       // [n, 2], never empty
            return cat([corner, corner + size], 1);                                      // [n, 4] xyxy px
        }
        var a = RandomBoxes(50);
        var b = RandomBoxes(40);
        Golden.AssertClose(TorchSharp.torchvision.ops.box_iou(a, b), BoxOps.PairwiseIou(a, b), rtol: 1e-6, atol: 1e-7, what: "iou");
    }

    [Fact]
    public void PairwiseIou_EmptyBoxes_AreZeroNotNaN()
    {
        using var scope = NewDisposeScope();
        var empty = tensor(new float[] { 5, 5, 5, 5 }, [1, 4]);
        Assert.Equal(0f, BoxOps.PairwiseIou(empty, empty).item<float>());
    }

    [Fact]
    public void Clip_ClampsXToWidthAndYToHeight()
    {
        using var scope = NewDisposeScope();
        var boxes = tensor(new float[] { -3, -1, 250, 90, 10, 20, 30, 40 }, [2, 4]);
        var expected = tensor(new float[] { 0, 0, 224, 80, 10, 20, 30, 40 }, [2, 4]);
        Golden.AssertClose(expected, BoxOps.Clip(boxes, height: 80, width: 224), rtol: 0, atol: 0, what: "clip");
    }

    [Fact]
    public void PairwiseIou_NotBoxes_Throws()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => BoxOps.PairwiseIou(zeros(3, 5), zeros(2, 4)));
    }
}
