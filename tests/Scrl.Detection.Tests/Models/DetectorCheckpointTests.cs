using Scrl.Core.Training.Checkpoints;
using Scrl.Detection.Tests.Support;
using Scrl.Detection.Transform;
using static TorchSharp.torch;

namespace Scrl.Detection.Tests.Models;

/// <summary>A checkpoint names its detector, and a loader that needs another one says which and which.</summary>
public sealed class DetectorCheckpointTests : IDisposable
{
    private static readonly TransformOptions Transform = new() { MinSize = [TinyDetector.ImageSize], MaxSize = TinyDetector.ImageSize };

    private readonly string _folder = Directory.CreateTempSubdirectory("detector-ckpt").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Load_FasterRcnnCheckpointAsRetinaNet_NamesBothDetectors()
    {
        using var model = FasterRcnn.FromOptions(TinyDetector.Options(numClasses: 5));
        string path = Save(model.state_dict(), "faster-rcnn");

        var error = Assert.Throws<DetectorMismatchException>(() => DetectorCheckpoint.Load(path, Transform, DetectorKind.RetinaNet));

        Assert.Equal($"checkpoint '{path}' holds a faster-rcnn detector, not the retinanet asked for", error.Message);
    }

    [Fact]
    public void Load_FasterRcnnCheckpointAsSparseRcnn_NamesBothDetectors()
    {
        using var model = FasterRcnn.FromOptions(TinyDetector.Options(numClasses: 5));
        string path = Save(model.state_dict(), "faster-rcnn");

        var error = Assert.Throws<DetectorMismatchException>(() => DetectorCheckpoint.Load(path, Transform, DetectorKind.SparseRcnn));

        Assert.Equal($"checkpoint '{path}' holds a faster-rcnn detector, not the sparse-rcnn asked for", error.Message);
    }

    [Fact]
    public void Load_TorchvisionStateDictAsSparseRcnn_SaysItIsNoFineTunedDetector()
    {
        string path = Path.Combine(_folder, "fasterrcnn_resnet50_fpn.pth");
        using (var model = FasterRcnn.FromOptions(TinyDetector.Options(numClasses: 5)))
            model.save(path);

        var error = Assert.Throws<DetectorMismatchException>(() => DetectorCheckpoint.Load(path, Transform, DetectorKind.SparseRcnn));

        Assert.StartsWith($"'{path}' is no fine-tuned detector: a sparse-rcnn model is a checkpoint that scrl finetune writes", error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"(scrl finetune --backbone '{path}')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SparseRcnnCheckpoint_RebuildsItsShapesAndWeights()
    {
        using var model = SparseRcnn.FromOptions(TinySparseRcnn.Options(numClasses: 5) with { Stages = 2, Proposals = 7 });

        using var loaded = (SparseRcnn)DetectorCheckpoint.Load(Save(model.state_dict(), "sparse-rcnn"), Transform, DetectorKind.SparseRcnn);

        Assert.Equal(model.Options with { Transform = Transform, Backbone = loaded.Options.Backbone }, loaded.Options);
        Assert.Equal(model.state_dict().Keys, loaded.state_dict().Keys);
        Assert.All(model.state_dict(), kv => Assert.True(kv.Value.eq(loaded.state_dict()[kv.Key]).all().item<bool>(), kv.Key));
    }

    [Fact]
    public void Load_WithoutExpectation_BuildsTheRecordedDetectorInEvalMode()
    {
        using var model = FasterRcnn.FromOptions(TinyDetector.Options(numClasses: 5));

        using var loaded = DetectorCheckpoint.Load(Save(model.state_dict(), "faster-rcnn"), Transform);

        Assert.Equal(DetectorKind.FasterRcnn, loaded.Kind);
        Assert.False(loaded.training);
    }

    [Fact]
    public void Load_PretrainingCheckpoint_SaysItHoldsNoDetector()
    {
        string path = Save(new Dictionary<string, Tensor> { ["conv1.weight"] = zeros(4, 3, 3, 3) }, "Scrl");

        var error = Assert.Throws<DetectorMismatchException>(() => DetectorCheckpoint.Load(path, Transform));

        Assert.Equal($"checkpoint '{path}' holds a 'Scrl' model, not a fine-tuned detector (faster-rcnn, retinanet, mask-rcnn, keypoint-rcnn, sparse-rcnn)", error.Message);
    }

    [Fact]
    public void Losses_NameTheirTermsAndSumThem()
    {
        var losses = new DetectorLosses(new Dictionary<string, Tensor> { ["classification"] = tensor(1.5f), ["bbox_regression"] = tensor(0.25f) });

        Assert.Equal(1.75f, losses.Total().item<float>());
        Assert.Equal(new Dictionary<string, double> { ["classification"] = 1.5, ["bbox_regression"] = 0.25 }, losses.ToHost());
        var error = Assert.Throws<KeyNotFoundException>(() => losses["loss_classifier"]);
        Assert.Equal("no loss 'loss_classifier'; this detector has classification, bbox_regression", error.Message);
    }

    private string Save(IReadOnlyDictionary<string, Tensor> tensors, string method) =>
        new CheckpointStore(_folder, keep: 0).Save(tensors, new CheckpointMeta
        {
            Step = 1, Epoch = 0, BatchInEpoch = 0, Method = method, Backbone = "resnet-fpn", ConfigHash = "",
        });
}
