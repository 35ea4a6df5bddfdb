using Scrl.Core.Interop;
using Scrl.Core.Tests.Support;
using Scrl.Detection.RoiHeads;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Scrl.Detection.Tests.Models;

/// <summary>Our Keypoint R-CNN and its keypoint functions against torchvision 0.14's keypointrcnn_resnet50_fpn with identical weights.</summary>
public class KeypointRcnnParityTests(KeypointRcnnParityFixture fixture, ITestOutputHelper output) : IClassFixture<KeypointRcnnParityFixture>
{
    private const double BoxTolerancePx = 1e-3;

    private const double KeypointTolerancePx = 1e-2;

    [Fact]
    public void StateDict_OfTorchvision_LoadsStrictlyAndEqualsTheHashedWeights()
    {
        var weights = RetinaNetParityFixture.ReadTensors(fixture.WeightsPath);
        try
        {
            using var model = KeypointRcnn.FromOptions(KeypointRcnnParityFixture.Options);
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
    public void Eval_DetectionsWithKeypoints_MatchTorchvision()
    {
        var g = fixture.Golden;
        fixture.Model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        var detections = fixture.Model.call(fixture.Images);

        for (int i = 0; i < 2; i++)
        {
            var d = detections[i];
            Assert.Equal(10, d.Boxes.shape[0]);
            Assert.Equal(g[$"labels.{i}"].data<long>().ToArray(), d.Labels.data<long>().ToArray());
            Report($"image {i} boxes", g[$"boxes.{i}"], d.Boxes);
            Report($"image {i} scores", g[$"scores.{i}"], d.Scores);
            Report($"image {i} keypoints", g[$"keypoints.{i}"], d.Keypoints!);
            Report($"image {i} keypoint scores", g[$"keypoints_scores.{i}"], d.KeypointScores!);
            Golden.AssertClose(g[$"boxes.{i}"], d.Boxes, rtol: 0, atol: BoxTolerancePx, what: $"boxes of image {i}");
            Golden.AssertClose(g[$"scores.{i}"], d.Scores, rtol: 1e-4, atol: 1e-7, what: $"scores of image {i}");
            Golden.AssertClose(g[$"keypoints.{i}"], d.Keypoints!, rtol: 0, atol: KeypointTolerancePx, what: $"keypoints of image {i}");
            Golden.AssertClose(g[$"keypoints_scores.{i}"], d.KeypointScores!, rtol: 1e-4, atol: 1e-3, what: $"keypoint scores of image {i}");
        }
    }

    /// <summary>Hashed keypoints: visible, invisible, outside the box, on its right and bottom edges.</summary>
    [Fact]
    public void Train_LossesWithEveryCandidateSampled_MatchTorchvision()
    {
        const string tag = "loss";
        var g = fixture.Golden;
        var options = KeypointRcnnParityFixture.Options with
        {
            Rpn = KeypointRcnnParityFixture.Options.Rpn with { BatchSizePerImage = 10_000_000 },
            BoxHead = KeypointRcnnParityFixture.Options.BoxHead with { BatchSizePerImage = 10_000_000 },
        };
        using var model = KeypointRcnn.FromOptions(options);
        model.load_state_dict(fixture.Model.state_dict());
        model.train();
        using var scope = NewDisposeScope();
        var targets = Enumerable.Range(0, 2)
            .Select(i => new DetectionTarget(g[$"target_boxes.{i}"], g[$"target_labels.{i}"], Keypoints: g[$"target_keypoints.{i}"])).ToList();

        var losses = model.Losses(fixture.Images, targets, generator: null);

        Assert.Equal(["loss_classifier", "loss_box_reg", "loss_keypoint", "loss_objectness", "loss_rpn_box_reg"], losses.Names);
        foreach (string name in losses.Names) Report($"{tag}.{name}", g[$"{tag}.{name}"], losses[name].reshape(1));
        Golden.AssertClose(g[$"{tag}.loss_keypoint"], losses["loss_keypoint"].reshape(1), rtol: 1e-4, atol: 0, what: $"{tag} loss_keypoint");
        Golden.AssertClose(g[$"{tag}.loss_classifier"], losses["loss_classifier"].reshape(1), rtol: 1e-4, atol: 0, what: $"{tag} loss_classifier");
        Golden.AssertClose(g[$"{tag}.loss_box_reg"], losses["loss_box_reg"].reshape(1), rtol: 1e-3, atol: 0, what: $"{tag} loss_box_reg");
        Golden.AssertClose(g[$"{tag}.loss_objectness"], losses["loss_objectness"].reshape(1), rtol: 1e-4, atol: 0, what: $"{tag} loss_objectness");
    }

    [Fact]
    public void KeypointsToHeatmap_EdgesOutsidersAndInvisiblePoints_EqualTorchvisionExactly()
    {
        var g = fixture.Golden;
        using var scope = NewDisposeScope();

        var (targets, valid) = KeypointHeatmaps.Targets(g["heatmap.keypoints"], g["heatmap.rois"], 56);

        Assert.Equal(g["heatmap.valid"].data<long>().ToArray(), valid.data<long>().ToArray());
        Assert.Equal(g["heatmap.targets"].data<long>().ToArray(), targets.data<long>().ToArray());
    }

    [Fact]
    public void HeatmapsToKeypoints_FractionalTinyAndLargeBoxes_MatchTorchvision()
    {
        var g = fixture.Golden;
        using var scope = NewDisposeScope();

        var (keypoints, scores) = KeypointHeatmaps.ToKeypoints(g["decode.maps"], g["decode.rois"]);

        Report("decoded keypoints", g["decode.keypoints"], keypoints);
        Report("decoded scores", g["decode.scores"], scores);
        Golden.AssertClose(g["decode.keypoints"], keypoints, rtol: 0, atol: 1e-4, what: "decoded keypoints");
        Golden.AssertClose(g["decode.scores"], scores, rtol: 1e-5, atol: 1e-5, what: "decoded scores");
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
