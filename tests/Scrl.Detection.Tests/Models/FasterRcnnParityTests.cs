using Scrl.Core.Tests.Support;
using Scrl.Detection.RoiHeads;
using Scrl.Detection.Rpn;
using static TorchSharp.torch;

namespace Scrl.Detection.Tests.Models;

/// <summary>Our Faster R-CNN against torchvision 0.14's fasterrcnn_resnet50_fpn with identical weights.</summary>
public class FasterRcnnParityTests(FasterRcnnParityFixture fixture) : IClassFixture<FasterRcnnParityFixture>
{
    private const double BoxTolerancePx = 1e-3;

    /// <summary>Objectness gap (sigmoid, ~17 float ulps at 0.5) under which two ranks are a tie.</summary>
    private const double TieTolerance = 1e-6;

    [Fact]
    public void Eval_TransformAndAnchors_MatchTorchvision()
    {
        var g = fixture.Golden;
        fixture.Model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (_, batch) = fixture.Model.Propose(fixture.Images);

        var sizes = g["image_sizes"].data<long>().ToArray();
        Assert.Equal(sizes, batch.ImageSizes.SelectMany(s => new[] { s.Height, s.Width }).ToArray());
        // libtorch 2.10 and 1.13 bilinear kernels round differently (~2e-5 on normalised values).
        Golden.AssertClose(g["batch"], batch.Tensors, rtol: 0, atol: 1e-4, what: "normalised, resized, padded batch");
        var (anchors, _) = AnchorGenerator.FpnDefault().Generate(
            (batch.Tensors.shape[2], batch.Tensors.shape[3]),
            [(80, 120), (40, 60), (20, 30), (10, 15), (5, 8)], CPU);
        Golden.AssertClose(g["anchors.0"], anchors, rtol: 0, atol: 0, what: "anchors");
    }

    [Fact]
    public void Eval_ProposalsAndDetections_MatchTorchvision()
    {
        var g = fixture.Golden;
        fixture.Model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (proposals, _) = fixture.Model.Propose(fixture.Images);
        var detections = fixture.Model.call(fixture.Images);

        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(1000, proposals[i].shape[0]);
            AssertProposalsMatch(g[$"proposals.{i}"], proposals[i], g[$"proposal_scores.{i}"], $"proposals of image {i}");
            Assert.Equal(50, detections[i].Boxes.shape[0]);
            Assert.Equal(g[$"labels.{i}"].data<long>().ToArray(), detections[i].Labels.data<long>().ToArray());
            Golden.AssertClose(g[$"boxes.{i}"], detections[i].Boxes, rtol: 0, atol: BoxTolerancePx, what: $"boxes of image {i}");
            Golden.AssertClose(g[$"scores.{i}"], detections[i].Scores, rtol: 1e-4, atol: 1e-7, what: $"scores of image {i}");
        }
    }

    [Fact]
    public void Train_LossesWithEveryCandidateSampled_MatchTorchvision()
    {
        var g = fixture.Golden;
        var options = FasterRcnnParityFixture.Options with
        {
            Rpn = new RpnOptions { BatchSizePerImage = 10_000_000 },
            BoxHead = FasterRcnnParityFixture.Options.BoxHead with { BatchSizePerImage = 10_000_000 },
        };
        using var model = FasterRcnn.FromOptions(options);
        model.load_state_dict(fixture.Model.state_dict());
        model.train();
        using var scope = NewDisposeScope();
        DetectionTarget[] targets =
        [
            new(g["target_boxes.0"], g["target_labels.0"]),
            new(g["target_boxes.1"], g["target_labels.1"]),
        ];

        var losses = model.Losses(fixture.Images, targets, generator: null);

        Golden.AssertClose(g["loss.loss_objectness"], losses["loss_objectness"].reshape(1), rtol: 1e-4, atol: 0, what: "loss_objectness");
        Golden.AssertClose(g["loss.loss_rpn_box_reg"], losses["loss_rpn_box_reg"].reshape(1), rtol: 1e-3, atol: 0, what: "loss_rpn_box_reg");
        Golden.AssertClose(g["loss.loss_classifier"], losses["loss_classifier"].reshape(1), rtol: 1e-4, atol: 0, what: "loss_classifier");
        Golden.AssertClose(g["loss.loss_box_reg"], losses["loss_box_reg"].reshape(1), rtol: 1e-3, atol: 0, what: "loss_box_reg");
    }

    /// <summary>
    /// Row by row, except where torchvision's own ranking ties: libtorch builds and CPUs round near-equal
    /// objectness differently (2e-7 apart, twice in one image on an AVX2 CPU) and may keep either box.
    /// </summary>
    /// <param name="rankedScores">torchvision's objectness of each kept proposal, plus the first one cut.</param>
    private static void AssertProposalsMatch(Tensor expected, Tensor actual, Tensor rankedScores, string what)
    {
        Assert.Equal(expected.shape[0] + 1, rankedScores.shape[0]);
        var rowError = (expected - actual).abs().amax(1).data<float>().ToArray();
        var scores = rankedScores.data<float>().ToArray();
        for (int r = 0; r < rowError.Length; r++)
        {
            if (rowError[r] <= BoxTolerancePx) continue;
            double gap = Math.Abs(scores[r] - scores[r + 1]);
            if (r > 0) gap = Math.Min(gap, Math.Abs(scores[r] - scores[r - 1]));
            Assert.True(gap < TieTolerance,
                $"{what}: row {r} is [{string.Join(", ", actual[r].data<float>().ToArray())}] where torchvision has " +
                $"[{string.Join(", ", expected[r].data<float>().ToArray())}], and its objectness {scores[r]} ties with no neighbour (nearest {gap:G3})");
        }
    }
}
