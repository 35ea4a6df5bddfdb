using Scrl.Core.Models;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Models;

public sealed class ScrlNetworkTests
{
    private static ScrlNetwork CreateNetwork() => new(new ResNetBackbone(ResNetVariant.ResNet18), projectorHidden: 16, projectionSize: 8);

    [Fact]
    public void Forward_WithRois_ProjectsEveryBox_AndPoolsEveryImage()
    {
        using var scope = NewDisposeScope();
        using var network = CreateNetwork();
        var views = randn(4, 3, 64, 64);                                         // [2B, 3, S, S], B = 2
        var rois = tensor(new float[,]
        {
            { 0, 0, 0, 40, 40 }, { 1, 10, 5, 60, 50 }, { 1, 0, 0, 64, 64 },     // view 1
            { 2, 8, 8, 48, 48 }, { 3, 0, 20, 40, 64 }, { 3, 20, 0, 64, 36 },     // view 2 (batch index b + B)
        });

        var output = network.call(views, rois);

        Assert.Equal(new long[] { 6, 8 }, output.Projection.shape);
        var c5 = network.Encoder.call(views);                                    // [2B, 512, 2, 2]
        Assert.Equal(new long[] { 4, 512 }, output.Pooled.shape);
        Assert.True((output.Pooled - c5.mean([2, 3])).abs().max().item<float>() < 1e-6f);
    }

    [Fact]
    public void Forward_OneBoxPerView_KeepsTheBoxDimension()
    {
        using var scope = NewDisposeScope();
        using var network = CreateNetwork();
        var views = randn(2, 3, 64, 64);                                         // B = 1
        var rois = tensor(new float[,] { { 0, 0, 0, 48, 48 }, { 1, 16, 16, 64, 64 } });

        var output = network.call(views, rois);

        Assert.Equal(new long[] { 2, 8 }, output.Projection.shape);
        Assert.Equal(new long[] { 2, 512 }, output.Pooled.shape);
    }

    [Fact]
    public void Forward_WithoutRois_ProjectsTheGlobalAveragePool()
    {
        using var scope = NewDisposeScope();
        using var network = CreateNetwork();
        network.eval();                                                          // deterministic BN for the comparison
        var views = randn(4, 3, 64, 64);

        var output = network.call(views, null);

        Assert.Equal(new long[] { 4, 8 }, output.Projection.shape);
        var expected = network.Projector.call(output.Pooled);
        Assert.True((output.Projection - expected).abs().max().item<float>() < 1e-6f);
    }

    [Fact]
    public void Forward_RejectsRoisWithoutBatchIndex()
    {
        using var scope = NewDisposeScope();
        using var network = CreateNetwork();
        Assert.Throws<ArgumentException>(() => network.call(randn(2, 3, 64, 64), zeros(2, 4)));
    }
}
