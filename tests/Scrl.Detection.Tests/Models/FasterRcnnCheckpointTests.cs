using Scrl.Core.Interop;
using Scrl.Core.Training.Checkpoints;
using Scrl.Detection.Tests.Support;
using Scrl.Detection.Training;
using Scrl.Detection.Transform;
using static TorchSharp.torch;

namespace Scrl.Detection.Tests.Models;

public sealed class FasterRcnnCheckpointTests : IDisposable
{
    private static readonly TransformOptions Transform = new() { MinSize = [TinyDetector.ImageSize], MaxSize = TinyDetector.ImageSize };

    private readonly string _folder = Directory.CreateTempSubdirectory("rcnn-ckpt").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Load_CheckpointOfTinyDetector_RebuildsSameArchitectureAndWeights()
    {
        using var model = FasterRcnn.FromOptions(TinyDetector.Options(numClasses: 5));
        string path = Save(model.state_dict());

        using var loaded = DetectorCheckpoint.Load(path, Transform);

        var expected = model.state_dict();
        Assert.All(loaded.state_dict(), kv => Assert.True(kv.Value.eq(expected[kv.Key]).all().item<bool>(), kv.Key));
        Assert.Equal(expected.Keys.Order(), loaded.state_dict().Keys.Order());
    }

    [Fact]
    public void Load_MissingUnexpectedAndMisShapedKeys_ListsEachPrecisely()
    {
        using var model = FasterRcnn.FromOptions(TinyDetector.Options(numClasses: 5));
        var tensors = new Dictionary<string, Tensor>(model.state_dict());
        tensors.Remove("roi_heads.box_head.fc7.bias");
        tensors["roi_heads.box_head.fc8.bias"] = zeros(128);
        tensors["rpn.head.conv.0.0.bias"] = zeros(31);

        var error = Assert.Throws<CheckpointMismatchException>(() => DetectorCheckpoint.Load(Save(tensors), Transform));

        string expected = string.Join(Environment.NewLine,
            "loading into FasterRcnn: state dict does not match.",
            "  1 missing keys:",
            "    roi_heads.box_head.fc7.bias",
            "  1 unexpected keys:",
            "    roi_heads.box_head.fc8.bias",
            "  1 shape mismatches:",
            "    rpn.head.conv.0.0.bias: checkpoint [31] vs module [32]");
        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Load_NotAFasterRcnn_NamesTheMissingArchitectureKey()
    {
        string path = Save(new Dictionary<string, Tensor> { ["fc.weight"] = zeros(10, 4) });

        var error = Assert.Throws<CheckpointMismatchException>(() => DetectorCheckpoint.Load(path, Transform));

        Assert.Equal(["roi_heads.box_predictor.cls_score.weight"], error.Missing);
    }

    [Fact]
    public void Restore_CheckpointOfAnotherClassCount_ThrowsMismatchAndKeepsWeights()
    {
        using var model = FasterRcnn.FromOptions(TinyDetector.Options(numClasses: 5));
        using var other = FasterRcnn.FromOptions(TinyDetector.Options(numClasses: 3));
        var train = new DetectionDataset(TinyDetector.Read(TinyDetector.GenerateShapes(2, 1), Scrl.Core.Data.Coco.CocoLayout.Train), training: true);
        var trainer = new DetectionTrainer(model, train, new FinetuneOptions());
        var before = model.state_dict()["roi_heads.box_head.fc6.weight"].clone();

        using var checkpoint = CheckpointStore.Load(Save(other.state_dict(), trainer.Meta(1, new Dictionary<string, double>())));
        var error = Assert.Throws<CheckpointMismatchException>(() => trainer.Restore(checkpoint));

        Assert.Equal(
            ["roi_heads.box_predictor.bbox_pred.bias: checkpoint [12] vs module [20]", "roi_heads.box_predictor.bbox_pred.weight: checkpoint [12, 128] vs module [20, 128]",
             "roi_heads.box_predictor.cls_score.bias: checkpoint [3] vs module [5]", "roi_heads.box_predictor.cls_score.weight: checkpoint [3, 128] vs module [5, 128]"],
            error.ShapeMismatches.Order(StringComparer.Ordinal));
        Assert.True(model.state_dict()["roi_heads.box_head.fc6.weight"].eq(before).all().item<bool>(), "nothing is copied on a mismatch");
    }

    private string Save(IReadOnlyDictionary<string, Tensor> tensors, CheckpointMeta? meta = null)
    {
        var store = new CheckpointStore(_folder, keep: 0);
        return store.Save(tensors, meta ?? new CheckpointMeta { Step = 1, Epoch = 0, BatchInEpoch = 0, Method = "faster-rcnn", Backbone = "resnet-fpn", ConfigHash = "" });
    }
}
