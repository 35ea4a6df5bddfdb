using Scrl.Detection.RoiHeads;
using Scrl.Detection.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Scrl.Detection.Tests.Models;

/// <summary>loss_mask on a tiny Mask R-CNN: zero without positives, as torchvision's maskrcnn_loss, and trainable with them.</summary>
public sealed class MaskRcnnLossTests
{
    [Fact]
    public void Losses_ImagesWithoutBoxes_GiveAFiniteZeroMaskLossWithZeroGradients()
    {
        using var model = MaskRcnn.FromOptions(TinyMaskRcnn.Options(numClasses: 4));
        model.train();
        using var scope = NewDisposeScope();
        Tensor[] images = [rand(3, 128, 128, generator: new Generator(1)), rand(3, 112, 128, generator: new Generator(2))];
        DetectionTarget[] targets = images.Select(i => new DetectionTarget(zeros(0, 4), zeros(0, ScalarType.Int64), zeros([0, i.shape[1], i.shape[2]], ScalarType.Byte))).ToArray();

        var losses = model.Losses(images, targets, new Generator(3));
        losses.Total().backward();

        float mask = losses["loss_mask"].item<float>();
        Assert.True(float.IsFinite(mask) && mask == 0, $"loss_mask {mask}");
        Assert.All(losses.Names, name => Assert.True(float.IsFinite(losses[name].item<float>()), name));
        // torchvision's mask_logits.sum() * 0 keeps the graph: the mask weights get zero gradients (so SGD still decays them).
        var maskParameters = model.named_parameters().Where(p => p.name.StartsWith("roi_heads.mask_", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(maskParameters);
        Assert.All(maskParameters, p => Assert.True(p.parameter.grad is { } grad && grad.eq(0).all().item<bool>(), p.name));
    }

    [Fact]
    public void Losses_BoxesWithMasks_GivePositiveMaskLossThatReachesTheMaskHead()
    {
        using var model = MaskRcnn.FromOptions(TinyMaskRcnn.Options(numClasses: 4));
        model.train();
        using var scope = NewDisposeScope();
        Tensor[] images = [rand(3, 128, 128, generator: new Generator(1)), rand(3, 112, 128, generator: new Generator(2))];
        DetectionTarget[] targets =
        [
            TinyMaskRcnn.Ellipses(tensor(new float[] { 10, 12, 70, 90, 60, 20, 120, 60 }).view(2, 4), tensor(new long[] { 1, 3 }), 128, 128),
            TinyMaskRcnn.Ellipses(tensor(new float[] { 30, 30, 100, 100 }).view(1, 4), tensor(new long[] { 2 }), 112, 128),
        ];

        var losses = model.Losses(images, targets, new Generator(3));
        losses["loss_mask"].backward();

        float mask = losses["loss_mask"].item<float>();
        Assert.True(float.IsFinite(mask) && mask > 0, $"loss_mask {mask}");
        var grad = model.named_parameters().Single(p => p.name == "roi_heads.mask_head.0.0.weight").parameter.grad;
        Assert.True(grad is not null && grad.abs().sum().item<float>() > 0, "the mask head gets a gradient");
        Assert.True(grad!.isfinite().all().item<bool>(), "finite gradient");
    }

    /// <summary>A CPU proxy for device placement: the mask targets, logits, loss and pasted masks must follow the
    /// weights' dtype, as they must follow their device.</summary>
    [Fact]
    public void ToFloat64_TrainAndDetect_MaskTensorsFollowTheWeights()
    {
        using var model = MaskRcnn.FromOptions(TinyMaskRcnn.Options(numClasses: 4));
        model.to(float64);
        using var scope = NewDisposeScope();
        Tensor[] images = [rand(3, 128, 128, float64, generator: new Generator(1)), rand(3, 112, 128, float64, generator: new Generator(2))];
        DetectionTarget[] targets =
        [
            TinyMaskRcnn.Ellipses(tensor(new double[] { 10, 12, 70, 90 }).view(1, 4), tensor(new long[] { 1 }), 128, 128),
            TinyMaskRcnn.Ellipses(tensor(new double[] { 30, 30, 100, 100 }).view(1, 4), tensor(new long[] { 2 }), 112, 128),
        ];

        model.train();
        var losses = model.Losses(images, targets, new Generator(3));
        losses.Total().backward();
        model.eval();
        IReadOnlyList<Detections> detections;
        using (no_grad()) detections = model.call(images);

        Assert.Equal(ScalarType.Float64, losses["loss_mask"].dtype);
        Assert.True(losses["loss_mask"].item<double>() > 0, "the boxes have positives");
        Assert.All(model.parameters().Where(p => p.requires_grad), p => Assert.Equal(ScalarType.Float64, p.grad!.dtype));
        Assert.All(detections, d => Assert.Equal(ScalarType.Float64, d.Masks!.dtype));
    }

    [Fact]
    public void ProjectMasksOnBoxes_MoreRoisThanOneChunk_EqualsOneRoiAlignOverAll()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(5);
        var masks = rand([3, 60, 80], generator: generator).gt(0.5).to(ScalarType.Byte);           // [3, 60, 80]
        var corners = rand([70, 2], generator: generator) * tensor(new float[] { 60, 40 });        // [70, 2] x1, y1
        var boxes = cat([corners, corners + 1 + rand([70, 2], generator: generator) * 20], 1);     // [70, 4]
        var matched = randint(0, 3, [70], generator: generator);                                   // [70]

        var projected = MaskRcnnLoss.ProjectMasksOnBoxes(masks, boxes, matched, 28);

        var rois = cat([matched.to(float32).unsqueeze(1), boxes], 1);
        var whole = Scrl.Core.Boxes.RoiAlign.Apply(masks.unsqueeze(1).to(float32), rois, 28, 28, 1.0, samplingRatio: 0, aligned: false).squeeze(1);
        Scrl.Core.Tests.Support.Golden.AssertClose(whole, projected, rtol: 0, atol: 1e-6, what: "chunked projection");
    }

    [Fact]
    public void ProjectMasksOnBoxes_BoxOnTheMaskEdge_CropsAndResamplesLikeRoiAlign()
    {
        using var scope = NewDisposeScope();
        var masks = zeros([2, 40, 40], ScalarType.Byte);
        masks[1, 10..30, 20..40] = tensor((byte)1);                                                 // instance 1: rows 10-29, columns 20-39

        var projected = MaskRcnnLoss.ProjectMasksOnBoxes(masks, tensor(new float[] { 10, 10, 30, 30 }).view(1, 4), tensor(new long[] { 1 }), 4);

        // The box's right half lies on the instance: each 5 px bin samples pixel rows and columns at ceil(5) = 5 points.
        Assert.Equal([1, 4, 4], projected.shape);
        Assert.Equal(new float[] { 0, 0.1f, 1, 1 }, projected[0, 1].data<float>().ToArray().Select(v => MathF.Round(v, 4)).ToArray());
        Assert.True(projected[0, .., 0].eq(0).all().item<bool>(), "left column is off the instance");
    }
}
