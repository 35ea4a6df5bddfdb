using Scrl.Core.Interop;
using Scrl.Core.Tests.Support;
using Scrl.Detection.RoiHeads;
using Scrl.Detection.Rpn;
using Scrl.Detection.Transform;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Scrl.Detection.Tests.Models;

/// <summary>Our Mask R-CNN and its mask pasting against torchvision 0.14's maskrcnn_resnet50_fpn with identical weights.</summary>
public class MaskRcnnParityTests(MaskRcnnParityFixture fixture, ITestOutputHelper output) : IClassFixture<MaskRcnnParityFixture>
{
    private const double BoxTolerancePx = 1e-3;

    private const double MaskTolerance = 1e-4;

    /// <summary>Pasting alone: upsample_bilinear2d's weights, summed by BLAS in another order; PyTorch 1.13's kernel
    /// also rounds some weights of large upsamplings differently (measured: 1.3e-6 on a 30 -> 242 px resize).</summary>
    private const double PasteTolerance = 5e-6;

    [Fact]
    public void StateDict_OfTorchvision_LoadsStrictlyAndEqualsTheHashedWeights()
    {
        var weights = RetinaNetParityFixture.ReadTensors(fixture.WeightsPath);
        try
        {
            using var model = MaskRcnn.FromOptions(MaskRcnnParityFixture.Options);
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
    public void Eval_DetectionsAndPastedMasks_MatchTorchvision()
    {
        var g = fixture.Golden;
        fixture.Model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        var detections = fixture.Model.call(fixture.Images);

        for (int i = 0; i < 2; i++)
        {
            var d = detections[i];
            Assert.Equal(50, d.Boxes.shape[0]);
            Assert.Equal(g[$"labels.{i}"].data<long>().ToArray(), d.Labels.data<long>().ToArray());
            Report($"image {i} boxes", g[$"boxes.{i}"], d.Boxes);
            Report($"image {i} masks", g[$"masks.{i}"], d.Masks!);
            Golden.AssertClose(g[$"boxes.{i}"], d.Boxes, rtol: 0, atol: BoxTolerancePx, what: $"boxes of image {i}");
            Golden.AssertClose(g[$"scores.{i}"], d.Scores, rtol: 1e-4, atol: 1e-7, what: $"scores of image {i}");
            Assert.Equal([50, 1, fixture.Images[i].shape[1], fixture.Images[i].shape[2]], d.Masks!.shape);
            Golden.AssertClose(g[$"masks.{i}"], d.Masks, rtol: 0, atol: MaskTolerance, what: $"pasted mask probabilities of image {i}");
        }
    }

    [Fact]
    public void Paste_TorchvisionsOwnMasksAndBoxes_EqualsItsPastedMasks()
    {
        var g = fixture.Golden;
        using var scope = NewDisposeScope();
        for (int i = 0; i < 2; i++)
        {
            var image = fixture.Images[i];

            var pasted = MaskPaster.Paste(g[$"mask_probs.{i}"], g[$"boxes.{i}"], (image.shape[1], image.shape[2]));

            Report($"image {i} pasting", g[$"masks.{i}"], pasted);
            Golden.AssertClose(g[$"masks.{i}"], pasted, rtol: 0, atol: PasteTolerance, what: $"masks of image {i} pasted");
        }
    }

    [Fact]
    public void Paste_BoxesAcrossBordersThinAndDegenerate_MatchesTorchvision()
    {
        var g = fixture.Golden;
        using var scope = NewDisposeScope();

        var pasted = MaskPaster.Paste(g["paste.masks"], g["paste.boxes"], (240, 320));

        Report("crafted pasting", g["paste.result"], pasted);
        Golden.AssertClose(g["paste.result"], pasted, rtol: 0, atol: PasteTolerance, what: "pasted masks");
        Assert.Equal(g["paste.result"].gt(0).sum(dim: [1, 2, 3]).data<long>().ToArray(), pasted.gt(0).sum(dim: [1, 2, 3]).data<long>().ToArray());
    }

    [Fact]
    public void Train_LossesWithEveryCandidateSampled_MatchTorchvision()
    {
        var g = fixture.Golden;
        var options = MaskRcnnParityFixture.Options with
        {
            Rpn = new RpnOptions { BatchSizePerImage = 10_000_000 },
            BoxHead = MaskRcnnParityFixture.Options.BoxHead with { BatchSizePerImage = 10_000_000 },
        };
        using var model = MaskRcnn.FromOptions(options);
        model.load_state_dict(fixture.Model.state_dict());
        model.train();
        using var scope = NewDisposeScope();
        DetectionTarget[] targets =
        [
            new(g["target_boxes.0"], g["target_labels.0"], g["target_masks.0"]),
            new(g["target_boxes.1"], g["target_labels.1"], g["target_masks.1"]),
        ];

        var losses = model.Losses(fixture.Images, targets, generator: null);

        Assert.Equal(["loss_classifier", "loss_box_reg", "loss_mask", "loss_objectness", "loss_rpn_box_reg"], losses.Names);
        foreach (string name in losses.Names) Report(name, g[$"loss.{name}"], losses[name].reshape(1));
        Golden.AssertClose(g["loss.loss_objectness"], losses["loss_objectness"].reshape(1), rtol: 1e-4, atol: 0, what: "loss_objectness");
        Golden.AssertClose(g["loss.loss_rpn_box_reg"], losses["loss_rpn_box_reg"].reshape(1), rtol: 1e-3, atol: 0, what: "loss_rpn_box_reg");
        Golden.AssertClose(g["loss.loss_classifier"], losses["loss_classifier"].reshape(1), rtol: 1e-4, atol: 0, what: "loss_classifier");
        Golden.AssertClose(g["loss.loss_box_reg"], losses["loss_box_reg"].reshape(1), rtol: 1e-3, atol: 0, what: "loss_box_reg");
        Golden.AssertClose(g["loss.loss_mask"], losses["loss_mask"].reshape(1), rtol: 1e-4, atol: 0, what: "loss_mask");
    }

    private void Report(string what, Tensor expected, Tensor actual)
    {
        using var scope = NewDisposeScope();
        var diff = (expected.to(float64) - actual.detach().to(float64)).abs();
        string values = expected.numel() == 1 ? $" (torchvision {expected.to(float64).item<double>():G9}, ours {actual.detach().to(float64).item<double>():G9})" : "";
        output.WriteLine($"{what}: max |diff| {diff.max().item<double>():G3}{values}");
    }
}
