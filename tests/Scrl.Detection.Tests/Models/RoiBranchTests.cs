using Scrl.Detection.Backbones;
using Scrl.Detection.Poolers;
using Scrl.Detection.RoiHeads;
using Scrl.Detection.Rpn;
using Scrl.Detection.Tests.Support;
using Scrl.Detection.Transform;
using static TorchSharp.torch;

namespace Scrl.Detection.Tests.Models;

/// <summary>The RoI heads' extension point for mask and keypoint branches: torchvision's keys, positives in training, detections in testing.</summary>
public sealed class RoiBranchTests
{
    [Fact]
    public void Branch_IsRegisteredUnderTorchvisionNames_TrainsOnMatchedPositives_AndAnnotatesDetections()
    {
        var branch = new RecordingBranch();
        using var model = Build(branch, numClasses: 4);
        Assert.Contains("roi_heads.mask_head.weight", model.state_dict().Keys);
        Assert.Contains("roi_heads.mask_predictor.weight", model.state_dict().Keys);

        using var scope = NewDisposeScope();
        var images = new[] { rand(3, 128, 128, generator: new Generator(1)), rand(3, 128, 128, generator: new Generator(2)) };
        var gtBoxes = new[] { tensor(new float[] { 10, 10, 70, 90, 60, 20, 120, 60 }).view(2, 4), tensor(new float[] { 30, 30, 100, 110 }).view(1, 4) };
        var gtLabels = new[] { tensor(new long[] { 1, 3 }), tensor(new long[] { 2 }) };
        model.train();
        var losses = model.Losses(images, [new(gtBoxes[0], gtLabels[0]), new(gtBoxes[1], gtLabels[1])], new Generator(3));

        Assert.Equal(["loss_classifier", "loss_box_reg", "loss_mask", "loss_objectness", "loss_rpn_box_reg"], losses.Names);
        Assert.Equal(2, branch.Positives.Count);
        for (int i = 0; i < 2; i++)
        {
            var p = branch.Positives[i];
            Assert.True(p.Boxes.shape[0] > 0, "the ground truth itself is always a positive proposal");
            Assert.Equal(gtLabels[i].index_select(0, p.MatchedTarget).data<long>().ToArray(), p.Labels.data<long>().ToArray());
            var iou = TorchvisionBoxOps.BoxIou(p.Boxes, gtBoxes[i]).gather(1, p.MatchedTarget.unsqueeze(1));
            Assert.True(iou.min().item<float>() >= 0.5f, "positives overlap their matched box by the fg threshold");
        }

        model.eval();
        using (no_grad())
            model.call(images);
        Assert.Equal(2, branch.AnnotatedImages);
    }

    private static FasterRcnn Build(RoiBranch branch, int numClasses)
    {
        var options = TinyDetector.Options(numClasses);
        var backbone = BackboneWithFpn.FromOptions(options.Backbone);
        var anchors = AnchorGenerator.FpnDefault();
        var rpn = new RegionProposalNetwork(anchors, new RpnHead(backbone.OutChannels, anchors.AnchorsPerLocation), options.Rpn);
        var box = options.BoxHead;
        var roiHeads = new RoiHeads.RoiHeads(new MultiScaleRoiAlign(["0", "1", "2", "3"], box.PoolSize, box.SamplingRatio),
                                             new TwoMlpHead(backbone.OutChannels * box.PoolSize * box.PoolSize, box.RepresentationSize),
                                             new FastRcnnPredictor(box.RepresentationSize, numClasses), box, branches: [branch]);
        return new FasterRcnn(backbone, rpn, roiHeads, new GeneralizedRcnnTransform(options.Transform));
    }

    /// <summary>Remembers what the RoI heads hand it; its loss is a differentiable function of its weights.</summary>
    private sealed class RecordingBranch() : RoiBranch("mask", nn.Linear(4, 2), nn.Linear(2, 1))
    {
        public List<PositiveProposals> Positives { get; } = [];

        public int AnnotatedImages { get; private set; }

        public override IReadOnlyDictionary<string, Tensor> Losses(IReadOnlyDictionary<string, Tensor> features, IReadOnlyList<PositiveProposals> positives,
            IReadOnlyList<(long Height, long Width)> imageSizes, IReadOnlyList<DetectionTarget> targets)
        {
            Positives.AddRange(positives);
            var boxes = cat(positives.Select(p => p.Boxes).ToList(), 0) / 128;
            var output = ((nn.Module<Tensor, Tensor>)Predictor).call(((nn.Module<Tensor, Tensor>)Head).call(boxes));
            return new Dictionary<string, Tensor> { ["loss_mask"] = output.square().mean() };
        }

        public override IReadOnlyList<Detections> Annotate(IReadOnlyDictionary<string, Tensor> features, IReadOnlyList<Detections> detections,
            IReadOnlyList<(long Height, long Width)> imageSizes)
        {
            AnnotatedImages += detections.Count;
            return detections;
        }
    }
}
