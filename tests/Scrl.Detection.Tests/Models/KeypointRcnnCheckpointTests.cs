using Scrl.Core.Tests.Support;
using Scrl.Core.Training.Checkpoints;
using Scrl.Detection.Tests.Support;
using static TorchSharp.torch;

namespace Scrl.Detection.Tests.Models;

public sealed class KeypointRcnnCheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("keypointrcnn-ckpt").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void InferOptions_StateDict_ReadsClassesKeypointsAndTowerWidths()
    {
        using var model = KeypointRcnn.FromOptions(TinyKeypointRcnn.Options with { NumClasses = 3 });

        var options = KeypointRcnnCheckpoint.InferOptions(model.state_dict(), TinyKeypointRcnn.Transform);

        Assert.Equal(3, options.NumClasses);
        Assert.Equal(TinyKeypointRcnn.NumKeypoints, options.KeypointHead.NumKeypoints);
        Assert.Equal([32, 32], options.KeypointHead.Layers);
        Assert.Equal(128, options.BoxHead.RepresentationSize);
        var backbone = TinyKeypointRcnn.Options.Backbone;
        Assert.Equal((backbone.Variant, backbone.Norm, backbone.FpnChannels), (options.Backbone.Variant, options.Backbone.Norm, options.Backbone.FpnChannels));
    }

    [Fact]
    public void Load_SavedKeypointRcnn_GivesTheSameDetectionsAndKeypoints()
    {
        using var model = KeypointRcnn.FromOptions(TinyKeypointRcnn.Options);
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor[] images = [TinyKeypointRcnn.Image(1), TinyKeypointRcnn.Image(2)];
        var expected = model.call(images);
        string path = new CheckpointStore(_folder, keep: 0).Save(model.state_dict(), new CheckpointMeta
        {
            Step = 1, Epoch = 0, BatchInEpoch = 0, Method = DetectorKinds.NameOf(DetectorKind.KeypointRcnn), Backbone = "resnet-fpn", ConfigHash = "",
        });

        using var loaded = DetectorCheckpoint.Load(path, TinyKeypointRcnn.Transform, DetectorKind.KeypointRcnn);
        var actual = loaded.call(images);

        Assert.IsType<KeypointRcnn>(loaded);
        Assert.True(expected.Sum(d => d.Boxes.shape[0]) > 0, "the random model detects something to compare");
        for (int i = 0; i < images.Length; i++)
        {
            Assert.Equal([expected[i].Boxes.shape[0], TinyKeypointRcnn.NumKeypoints, 3], actual[i].Keypoints!.shape);
            Golden.AssertClose(expected[i].Boxes, actual[i].Boxes, rtol: 0, atol: 0, what: "boxes");
            Golden.AssertClose(expected[i].Scores, actual[i].Scores, rtol: 0, atol: 0, what: "scores");
            Golden.AssertClose(expected[i].Keypoints!, actual[i].Keypoints!, rtol: 0, atol: 0, what: "keypoints");
            Golden.AssertClose(expected[i].KeypointScores!, actual[i].KeypointScores!, rtol: 0, atol: 0, what: "keypoint scores");
        }
    }

    [Fact]
    public void Create_KeypointRcnnKind_BuildsKeypointRcnnWithTheGivenClasses()
    {
        using var model = DetectorFactory.Create(DetectorKind.KeypointRcnn, numClasses: 4, TinyKeypointRcnn.Options.Backbone, TinyKeypointRcnn.Transform);

        Assert.Equal(DetectorKind.KeypointRcnn, model.Kind);
        Assert.Equal([4, 1024], model.state_dict()["roi_heads.box_predictor.cls_score.weight"].shape);
        Assert.Equal([512, 17, 4, 4], model.state_dict()[KeypointRcnnCheckpoint.KeypointLogitsKey].shape);
    }
}
