using TorchSharp;
using Scrl.Core.Tests.Support;
using Scrl.Detection.SetPrediction;
using Scrl.Detection.Sparse;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Scrl.Detection.Tests.Models;

/// <summary>Our Sparse R-CNN head, matcher and set criterion against the PyTorch transcription of the authors' code.</summary>
public class SparseRcnnParityTests(SparseRcnnParityFixture fixture, ITestOutputHelper output) : IClassFixture<SparseRcnnParityFixture>
{
    private const double Tolerance = 1e-5;

    /// <summary>Float64 on both sides leaves only summation order (3e-15 on the first stage's logits); each chained
    /// stage amplifies it about tenfold, so stage s is held to 1e-11 * 10^s, a thousand times tighter than float32 rounding.</summary>
    private static double Float64Tolerance(int stage) => 1e-11 * Math.Pow(10, stage);

    [Fact]
    public void OneDynamicHead_Float32_MatchesTheTranscriptionWithin1e5()
    {
        var g = fixture.Golden;
        using var head = SparseRcnnParityFixture.HashedHead();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        var (logits, boxes) = head.Forward(Features(float32), g["head.proposals"], g["head.proposal_features"], SparseRcnnParityFixture.ImageSizes, stages: 1)[0];

        Report("stage 0 logits", g["head.float32.logits"][0], logits);
        Report("stage 0 boxes", g["head.float32.boxes"][0], boxes);
        Golden.AssertClose(g["head.float32.logits"][0], logits, rtol: 0, atol: Tolerance, what: "stage 0 class logits");
        // Boxes compared as the loss sees them, divided by the image size: coordinates near 0 rule out a relative bound.
        var whwh = tensor(new float[] { 160, 128, 160, 128 });
        Golden.AssertClose(g["head.float32.boxes"][0] / whwh, boxes / whwh, rtol: 0, atol: Tolerance, what: "stage 0 boxes / padded image size");
    }

    [Fact]
    public void SixStages_Float64_MatchTheTranscription()
    {
        var g = fixture.Golden;
        using var head = SparseRcnnParityFixture.HashedHead();
        head.to(ScalarType.Float64);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        var stages = head.Forward(Features(float64), g["head.proposals"].to(float64), g["head.proposal_features"].to(float64), SparseRcnnParityFixture.ImageSizes);

        Assert.Equal(6, stages.Count);
        for (int s = 0; s < stages.Count; s++)
        {
            Report($"stage {s} logits", g["head.float64.logits"][s], stages[s].Logits);
            Report($"stage {s} boxes", g["head.float64.boxes"][s], stages[s].Boxes);
            Golden.AssertClose(g["head.float64.logits"][s], stages[s].Logits, rtol: 0, atol: Float64Tolerance(s), what: $"stage {s} class logits");
            Golden.AssertClose(g["head.float64.boxes"][s], stages[s].Boxes, rtol: Float64Tolerance(s), atol: Float64Tolerance(s), what: $"stage {s} boxes");
        }
    }

    [Theory]
    [InlineData("loss.")]
    [InlineData("loss_empty.")]
    public void SetCriterion_EveryStageTerm_MatchesTheTranscriptionWithin1e5Relative(string prefix)
    {
        var g = fixture.Golden;
        using var scope = NewDisposeScope();
        var options = SparseRcnnParityFixture.Options;
        var criterion = new SetCriterion(options, new HungarianMatcher(options));
        var stages = Enumerable.Range(0, 6).Select(s => (g[prefix + "logits"][s], g[prefix + "pred"][s])).ToList();

        var (losses, assignments) = criterion.Compute(stages, fixture.Targets(prefix));

        var expected = g.Keys.Where(k => k.StartsWith(prefix + "term.", StringComparison.Ordinal)).Select(k => k[(prefix.Length + 5)..]).Order().ToList();
        Assert.Equal(18, expected.Count);
        Assert.Equal(expected, losses.Keys.Order());
        foreach (var name in expected)
        {
            double want = g[prefix + "term." + name].item<float>(), got = losses[name].item<float>();
            output.WriteLine($"{name}: {got:G9} vs {want:G9} (rel {Math.Abs(got - want) / Math.Abs(want):E2})");
            Assert.True(Math.Abs(got - want) <= Tolerance * Math.Abs(want), $"{name}: {got:G9} vs the transcription's {want:G9}");
        }
        for (int s = 0; s < 6; s++)
            for (int i = 0; i < 2; i++)
                AssertSamePairs(g[$"{prefix}match.{s}.{i}"], assignments[s][i], $"stage {s} image {i}");
    }

    [Fact]
    public void MatcherCosts_MatchTheTranscription_AndSciPysAssignmentOfThemIsReproducedExactly()
    {
        var g = fixture.Golden;
        using var scope = NewDisposeScope();
        var matcher = new HungarianMatcher(SparseRcnnParityFixture.Options);
        var targets = fixture.Targets("loss.");
        for (int s = 0; s < 6; s++)
        {
            long column = 0;
            for (int i = 0; i < 2; i++)
            {
                long count = targets[i].Labels.shape[0];
                var expected = g[$"loss.cost.{s}"][i].narrow(1, column, count);                      // the image's diagonal block
                column += count;
                var cost = matcher.Cost(g["loss.logits"][s][i], g["loss.pred"][s][i], targets[i]);
                Golden.AssertClose(expected, cost, rtol: Tolerance, atol: Tolerance, what: $"stage {s} image {i} cost");
                AssertSamePairs(g[$"loss.match.{s}.{i}"], LinearSumAssignment.Solve(expected.contiguous()), $"stage {s} image {i} on SciPy's costs");
            }
        }
    }

    private IReadOnlyDictionary<string, Tensor> Features(ScalarType dtype) =>
        Enumerable.Range(0, 4).ToDictionary(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture), l => fixture.Golden[$"head.features.{l}"].to(dtype));

    private static void AssertSamePairs(Tensor expected, Assignment actual, string what)
    {
        var rows = expected[0].data<long>().Select(r => (int)r).ToArray();
        var columns = expected[1].data<long>().Select(c => (int)c).ToArray();
        Assert.True(rows.SequenceEqual(actual.Rows) && columns.SequenceEqual(actual.Columns),
            $"{what}: SciPy matched ({string.Join(" ", rows.Zip(columns))}), ours ({string.Join(" ", actual.Rows.Zip(actual.Columns))})");
    }

    private void Report(string what, Tensor expected, Tensor actual) =>
        output.WriteLine($"{what}: max |diff| {(actual.to(float64) - expected.to(float64)).abs().max().item<double>():E2}");
}
