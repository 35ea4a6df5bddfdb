using Scrl.Core.Boxes;
using Scrl.Core.Interop;
using Scrl.Core.Tests.Support;
using Scrl.Detection.Retina;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Scrl.Detection.Tests.Models;

/// <summary>Our RetinaNet and its parts against torchvision 0.14's retinanet_resnet50_fpn with identical weights.</summary>
public class RetinaNetParityTests(RetinaNetParityFixture fixture, ITestOutputHelper output) : IClassFixture<RetinaNetParityFixture>
{
    private const double BoxTolerancePx = 1e-3;

    /// <summary>Score gap under which two detections' ranks are a tie: five times the largest score deviation
    /// measured between the two builds (2e-6, on scores of 0.25..0.5).</summary>
    private const double TieTolerance = 1e-5;

    /// <summary>Relative loss tolerance: 25 times the largest deviation measured (4e-7). Counting the ignored anchors
    /// (IoU between the thresholds) in the focal loss moves it by 1e-4, so 1e-4 would not tell.</summary>
    private const double LossTolerance = 1e-5;

    [Fact]
    public void StateDict_OfTorchvision_LoadsStrictlyAndEqualsTheHashedWeights()
    {
        var weights = RetinaNetParityFixture.ReadTensors(fixture.WeightsPath);
        try
        {
            using var model = RetinaNet.FromOptions(RetinaNetParityFixture.Options);
            BackboneLoad.Into(model, weights);

            var ours = fixture.Model.state_dict();
            var different = model.state_dict().Where(kv => !kv.Value.eq(ours[kv.Key]).all().item<bool>()).Select(kv => kv.Key).ToList();
            Assert.Empty(different);
        }
        finally
        {
            foreach (var t in weights.Values) t.Dispose();
        }
    }

    [Fact]
    public void Eval_TransformAnchorsAndHeadOutputs_MatchTorchvision()
    {
        var g = fixture.Golden;
        fixture.Model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        var (batch, anchors, _, logits, deltas) = fixture.Model.HeadOutputs(fixture.Images);

        Assert.Equal(g["image_sizes"].data<long>().ToArray(), batch.ImageSizes.SelectMany(s => new[] { s.Height, s.Width }).ToArray());
        // libtorch 2.10 and 1.13 bilinear kernels round differently (~2e-5 on normalised values).
        Golden.AssertClose(g["batch"], batch.Tensors, rtol: 0, atol: 1e-4, what: "normalised, resized, padded batch");
        Golden.AssertClose(g["anchors.0"], anchors, rtol: 0, atol: 0, what: "anchors");
        var sampled = logits.flatten().index_select(0, g["cls_logits.index"]);
        Report("cls_logits (sampled)", g["cls_logits.sample"], sampled);
        Report("bbox_regression", g["bbox_regression"], deltas);
        Golden.AssertClose(g["cls_logits.sample"], sampled, rtol: 0, atol: 1e-4, what: "class logits");
        Golden.AssertClose(g["bbox_regression"], deltas, rtol: 0, atol: 1e-4, what: "box deltas");
    }

    [Fact]
    public void Anchors_DefaultGenerator_EqualTorchvisionExactly()
    {
        var g = fixture.Golden;
        using var scope = NewDisposeScope();
        var levels = g["level_sizes"].data<long>().ToArray();
        var levelSizes = Enumerable.Range(0, levels.Length / 2).Select(l => (levels[2 * l], levels[2 * l + 1])).ToList();
        var batch = g["batch"];

        var generator = RetinaNetAnchors.Default();
        var (anchors, counts) = generator.Generate((batch.shape[2], batch.shape[3]), levelSizes, CPU);

        Assert.Equal([[32.0, 40, 50], [64.0, 80, 101], [128.0, 161, 203], [256.0, 322, 406], [512.0, 645, 812]],
                     generator.Sizes.Select(s => s.ToArray()).ToArray());
        Assert.Equal(levelSizes.Select(s => s.Item1 * s.Item2 * RetinaNetAnchors.AnchorsPerLocation), counts);
        Golden.AssertClose(g["anchors.0"], anchors, rtol: 0, atol: 0, what: "anchors");
    }

    [Fact]
    public void Eval_Detections_MatchTorchvision()
    {
        var g = fixture.Golden;
        fixture.Model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        var detections = fixture.Model.call(fixture.Images);

        for (int i = 0; i < 2; i++)
        {
            var d = detections[i];
            Assert.Equal(g[$"boxes.{i}"].shape, d.Boxes.shape);
            Assert.Equal(ScalarType.Int64, d.Labels.dtype);
            Report($"image {i} boxes", g[$"boxes.{i}"], d.Boxes);
            Report($"image {i} scores", g[$"scores.{i}"], d.Scores);
            AssertDetectionsMatch(g[$"boxes.{i}"], g[$"scores.{i}"], g[$"labels.{i}"], g[$"ranked_scores.{i}"], d, $"image {i}");
        }
    }

    [Theory]
    [InlineData("loss")]         // two boxes, one box
    [InlineData("loss_empty")]   // two boxes, no box: every anchor of image 1 is background, it adds no box loss
    public void Train_Losses_MatchTorchvision(string tag)
    {
        var g = fixture.Golden;
        using var model = RetinaNet.FromOptions(RetinaNetParityFixture.Options);
        model.load_state_dict(fixture.Model.state_dict());
        model.train();
        using var scope = NewDisposeScope();
        DetectionTarget[] targets =
        [
            new(g["target_boxes.0"], g["target_labels.0"]),
            tag == "loss" ? new(g["target_boxes.1"], g["target_labels.1"]) : new(zeros(0, 4), zeros(0, ScalarType.Int64)),
        ];

        var losses = model.Losses(fixture.Images, targets, generator: null);

        Assert.Equal(["classification", "bbox_regression"], losses.Names.ToArray());
        foreach (string name in losses.Names)
        {
            Report($"{tag}.{name}", g[$"{tag}.{name}"], losses[name].reshape(1));
            Golden.AssertClose(g[$"{tag}.{name}"], losses[name].reshape(1), rtol: LossTolerance, atol: 0, what: $"{tag} {name}");
        }
    }

    [Theory]
    [InlineData(0)]   // exact thresholds, ignored and background columns kept as some ground truth's best
    [InlineData(1)]   // plus a ground truth overlapping nothing: every column falls back to its argmax
    public void Matcher_LowQualityMatches_MatchTorchvision(int k)
    {
        var g = fixture.Golden;
        var matcher = new Matcher(0.5, 0.4, allowLowQualityMatches: true);

        using var matches = matcher.Match(g[$"matcher.quality.{k}"]);

        Assert.Equal(g[$"matcher.matches.{k}"].data<long>().ToArray(), matches.data<long>().ToArray());
    }

    [Fact]
    public void SigmoidFocalLoss_RandomLogits_MatchesTorchvision()
    {
        var g = fixture.Golden;
        using var scope = NewDisposeScope();

        var elementwise = SigmoidFocalLoss.Elementwise(g["focal.logits"], g["focal.targets"]);
        var sum = SigmoidFocalLoss.Sum(g["focal.logits"], g["focal.targets"]);

        Golden.AssertClose(g["focal.none"], elementwise, rtol: 1e-5, atol: 1e-7, what: "focal loss per element");
        Golden.AssertClose(g["focal.sum"], sum.reshape(1), rtol: 1e-5, atol: 0, what: "focal loss sum");
    }

    /// <summary>
    /// Row by row, except where torchvision's own ranking ties: a swap of two rows whose scores differ by less than
    /// the two builds' rounding is not a bug, any other difference is.
    /// </summary>
    /// <param name="rankedScores">torchvision's scores of the kept detections, plus the first one cut.</param>
    private static void AssertDetectionsMatch(Tensor boxes, Tensor scores, Tensor labels, Tensor rankedScores, Detections actual, string what)
    {
        Assert.Equal(boxes.shape[0] + 1, rankedScores.shape[0]);
        var boxError = (boxes - actual.Boxes).abs().amax(1).data<float>().ToArray();
        var expectedScores = scores.data<float>().ToArray();
        var actualScores = actual.Scores.data<float>().ToArray();
        var expectedLabels = labels.data<long>().ToArray();
        var actualLabels = actual.Labels.data<long>().ToArray();
        var ranked = rankedScores.data<float>().ToArray();
        for (int r = 0; r < boxError.Length; r++)
        {
            bool same = boxError[r] <= BoxTolerancePx && expectedLabels[r] == actualLabels[r]
                        && Math.Abs(expectedScores[r] - actualScores[r]) <= 1e-4 * Math.Abs(expectedScores[r]);
            if (same) continue;
            double gap = Math.Abs(ranked[r] - ranked[r + 1]);
            if (r > 0) gap = Math.Min(gap, Math.Abs(ranked[r] - ranked[r - 1]));
            Assert.True(gap < TieTolerance,
                $"{what}: row {r} is label {actualLabels[r]} score {actualScores[r]} box [{string.Join(", ", actual.Boxes[r].data<float>().ToArray())}] " +
                $"where torchvision has label {expectedLabels[r]} score {expectedScores[r]} box [{string.Join(", ", boxes[r].data<float>().ToArray())}], " +
                $"and that score ties with no neighbour (nearest {gap:G3})");
        }
    }

    private void Report(string what, Tensor expected, Tensor actual)
    {
        using var scope = NewDisposeScope();
        var diff = (expected.to(float64) - actual.detach().to(float64)).abs();
        var relative = diff / expected.to(float64).abs().clamp_min(1e-12);
        string values = expected.numel() == 1 ? $" (torchvision {expected.to(float64).item<double>():G9}, ours {actual.detach().to(float64).item<double>():G9})" : "";
        output.WriteLine($"{what}: max |diff| {diff.max().item<double>():G3}, max rel {relative.max().item<double>():G3}{values}");
    }
}
