using Scrl.Core.Boxes;
using Scrl.Core.Tests.Support;
using static TorchSharp.torch;

namespace Scrl.Detection.Tests.Boxes;

public class NmsTests
{
    private const string GoldenFile = "fasterrcnn/nms.pt";

    [Theory]
    [InlineData(0)]   // plain nms, 600 boxes
    [InlineData(1)]   // batched, 7 classes, coordinate trick
    [InlineData(2)]   // batched, 2500 boxes: one NMS per category
    [InlineData(3)]   // many exactly tied scores
    public void Nms_RandomBoxes_KeepsTorchvisionIndices(int caseIndex)
    {
        var golden = Golden.Load(GoldenFile);
        string k = caseIndex.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var boxes = golden[$"{k}.boxes"];
        var scores = golden[$"{k}.scores"];
        var idxs = golden[$"{k}.idxs"];
        double threshold = golden[$"{k}.threshold"].item<double>();

        var keep = caseIndex == 0 ? Nms.Apply(boxes, scores, threshold) : Nms.Batched(boxes, scores, idxs, threshold);

        long[] expected = golden[$"{k}.keep"].data<long>().ToArray();
        Assert.True(expected.Length > 10, "the case must keep enough boxes to be meaningful");
        Assert.Equal(expected, keep.data<long>().ToArray());
    }

    /// <summary>Float64 boxes take the suppression-matrix path that other devices use; float32 on the CPU takes the host kernel.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Nms_MatrixPath_KeepsTorchvisionIndices(int caseIndex)
    {
        var golden = Golden.Load(GoldenFile);
        string k = caseIndex.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var boxes = golden[$"{k}.boxes"].to(ScalarType.Float64);
        var scores = golden[$"{k}.scores"];
        double threshold = golden[$"{k}.threshold"].item<double>();

        var keep = caseIndex == 0 ? Nms.Apply(boxes, scores, threshold) : Nms.Batched(boxes, scores, golden[$"{k}.idxs"], threshold);

        Assert.Equal(golden[$"{k}.keep"].data<long>().ToArray(), keep.data<long>().ToArray());
    }

    [Fact]
    public void Nms_NoBoxes_KeepsNothing()
    {
        var keep = Nms.Batched(zeros(0, 4), zeros(0), zeros(0, ScalarType.Int64), 0.5);
        Assert.Equal(0, keep.shape[0]);
    }

    [Fact]
    public void Nms_OverlapAboveThreshold_SuppressesOnlyWithinCategory()
    {
        var boxes = tensor(new float[] { 0, 0, 10, 10, 1, 0, 11, 10, 1, 0, 11, 10 }).view(3, 4);   // IoU(0,1) = 9/11
        var scores = tensor(new float[] { 0.9f, 0.8f, 0.7f });
        var keep = Nms.Batched(boxes, scores, tensor(new long[] { 0, 0, 1 }), 0.5);
        Assert.Equal(new long[] { 0, 2 }, keep.data<long>().ToArray());
    }
}
