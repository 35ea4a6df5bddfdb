using Scrl.Core.Models;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Models;

public sealed class ScrlLossTests
{
    [Fact]
    public void Symmetric_SumsBothDirections_AndAveragesOverPairs()
    {
        using var scope = NewDisposeScope();
        // Pair 0: q1 = z2 direction (0), q2 opposite z1 (4). Pair 1: q1 orthogonal to z2 (2), q2 = 3*z1 (0).
        var q = tensor(new float[,] { { 1, 0 }, { 0, 2 }, { -1, 0 }, { 0, 3 } });   // [2R, D]: view 1 rows, then view 2
        var z = tensor(new float[,] { { 1, 0 }, { 0, 1 }, { 5, 0 }, { 1, 0 } });    // [2R, D]

        var loss = ScrlLoss.Symmetric(q, z);

        Assert.Equal((0 + 4 + 2 + 0) / 2.0, loss.item<float>(), 6);
    }

    [Fact]
    public void Regression_ZeroVectorDoesNotProduceNaN()
    {
        using var scope = NewDisposeScope();
        var loss = ScrlLoss.Regression(zeros(1, 4), ones(1, 4));
        Assert.Equal(2.0, loss.item<float>(), 6);
    }
}
