using Scrl.Core.Models;
using Scrl.Core.Tests.Support;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Models;

/// <summary>NT-Xent against golden/models/make_ntxent.py, a transcription of SimCLR's add_contrastive_loss.</summary>
public sealed class NtXentLossTests
{
    [Theory]
    [InlineData("one_pair")]
    [InlineData("small")]
    [InlineData("rois")]
    [InlineData("warm")]
    public void Compute_MatchesSimclrsContrastiveLoss_ValueAndGradient(string name)
    {
        using var scope = NewDisposeScope();
        var golden = Golden.Load("models/ntxent.pt");
        var input = golden[$"{name}.input"].clone().requires_grad_(true);     // [2M, D]
        double temperature = golden[$"{name}.temperature"].item<double>();

        var loss = NtXentLoss.Compute(input, temperature);
        loss.backward();

        Golden.AssertClose(golden[$"{name}.loss"], loss, rtol: 1e-5, atol: 1e-5, what: $"{name} loss");
        Golden.AssertClose(golden[$"{name}.grad"], input.grad!, rtol: 1e-5, atol: 1e-5, what: $"{name} gradient");
    }

    [Fact]
    public void Compute_OnePair_IsZero_BecauseSelfSimilarityIsMaskedOut()
    {
        using var scope = NewDisposeScope();
        // Only the positive is left in each row's softmax once the row's own similarity is removed.
        var loss = NtXentLoss.Compute(tensor(new float[,] { { 1, 0 }, { -1, 0.5f } }), 0.1);
        Assert.Equal(0.0, loss.item<float>(), 6);
    }

    [Fact]
    public void Compute_AnotherPairNearby_RaisesTheLoss_AsItsBoxesAreNegatives()
    {
        using var scope = NewDisposeScope();
        // Both pairs agree with their positives; in the second case pair 1 points almost where pair 0 does.
        var apart = tensor(new float[,] { { 1, 0 }, { 0, 1 }, { 1, 0 }, { 0, 1 } });   // [2M, D]: view 1, then view 2
        var close = tensor(new float[,] { { 1, 0 }, { 1, 0.1f }, { 1, 0 }, { 1, 0.1f } });
        double a = NtXentLoss.Compute(apart, 0.5).item<float>();
        double c = NtXentLoss.Compute(close, 0.5).item<float>();
        Assert.True(a < c - 0.5, $"losses {a} apart, {c} close");
    }

    [Theory]
    [InlineData(new long[] { 3, 4 })]
    [InlineData(new long[] { 0, 4 })]
    [InlineData(new long[] { 4 })]
    public void Compute_RejectsAnythingButPairedRows(long[] shape)
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => NtXentLoss.Compute(zeros(shape), 0.1));
    }

    [Fact]
    public void Compute_RejectsANonPositiveTemperature()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentOutOfRangeException>(() => NtXentLoss.Compute(ones(2, 3), 0));
    }
}
