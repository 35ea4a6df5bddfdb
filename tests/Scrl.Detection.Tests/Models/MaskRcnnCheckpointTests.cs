using Scrl.Core.Interop;
using Scrl.Core.Models;
using Scrl.Core.Tests.Support;
using Scrl.Core.Training.Checkpoints;
using Scrl.Detection.Backbones;
using Scrl.Detection.RoiHeads;
using Scrl.Detection.Rpn;
using Scrl.Detection.Tests.Support;
using Scrl.Detection.Transform;
using static TorchSharp.torch;

namespace Scrl.Detection.Tests.Models;

public sealed class MaskRcnnCheckpointTests : IDisposable
{
    private static readonly TransformOptions Transform = new() { MinSize = [TinyDetector.ImageSize], MaxSize = TinyDetector.ImageSize };

    private readonly string _folder = Directory.CreateTempSubdirectory("maskrcnn-ckpt").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void InferOptions_StateDict_RebuildsTheMaskHeadAndClasses()
    {
        using var model = MaskRcnn.FromOptions(TinyMaskRcnn.Options(numClasses: 5) with
        {
            MaskHead = new() { Layers = [32, 48, 16], DimReduced = 24 },
        });
        var weights = model.state_dict();

        var options = MaskRcnnCheckpoint.InferOptions(weights, Transform);
        using var rebuilt = MaskRcnn.FromOptions(options);

        Assert.Equal(5, options.NumClasses);
        Assert.Equal([32, 48, 16], options.MaskHead.Layers);
        Assert.Equal(24, options.MaskHead.DimReduced);
        Assert.Equal((ResNetVariant.ResNet18, BackboneNorm.BatchNorm), (options.Backbone.Variant, options.Backbone.Norm));
        var shapes = rebuilt.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        Assert.Equal(weights.Keys.Order(), shapes.Keys.Order());
        Assert.All(weights, kv => Assert.Equal(kv.Value.shape, shapes[kv.Key]));
    }

    [Fact]
    public void InferOptions_WithoutMaskHead_NamesTheMissingKey()
    {
        using var faster = FasterRcnn.FromOptions(TinyDetector.Options(numClasses: 5));

        var error = Assert.Throws<CheckpointMismatchException>(() => MaskRcnnCheckpoint.InferOptions(faster.state_dict(), Transform));

        Assert.Equal(["roi_heads.mask_head.0.0.weight"], error.Missing);
    }

    [Fact]
    public void Load_SavedTinyMaskRcnn_GivesTheSameDetectionsAndMasks()
    {
        // A checkpoint stores no thresholds: the loaded model has the default RPN and box-head settings, so this one does too.
        using var model = MaskRcnn.FromOptions(TinyMaskRcnn.Options(numClasses: 5) with
        {
            Rpn = new RpnOptions(), BoxHead = new BoxHeadOptions { RepresentationSize = TinyDetector.Options(5).BoxHead.RepresentationSize },
        });
        model.eval();
        using var scope = NewDisposeScope();
        Tensor[] images = [rand(3, 120, 100, generator: new Generator(1)), rand(3, 96, 128, generator: new Generator(2))];
        string path = Save(model.state_dict());

        using var loaded = DetectorCheckpoint.Load(path, Transform);
        IReadOnlyList<Detections> expected, actual;
        using (no_grad())
        {
            expected = model.call(images);
            actual = loaded.call(images);
        }

        Assert.Equal(DetectorKind.MaskRcnn, loaded.Kind);
        Assert.IsType<MaskRcnn>(loaded);
        for (int i = 0; i < images.Length; i++)
        {
            Assert.True(expected[i].Boxes.shape[0] > 0, "the random model detects something to compare");
            Assert.Equal([expected[i].Boxes.shape[0], 1, images[i].shape[1], images[i].shape[2]], actual[i].Masks!.shape);
            Golden.AssertClose(expected[i].Boxes, actual[i].Boxes, rtol: 0, atol: 0, what: "boxes");
            Golden.AssertClose(expected[i].Scores, actual[i].Scores, rtol: 0, atol: 0, what: "scores");
            Assert.Equal(expected[i].Labels.data<long>().ToArray(), actual[i].Labels.data<long>().ToArray());
            Golden.AssertClose(expected[i].Masks!, actual[i].Masks!, rtol: 0, atol: 0, what: "masks");
        }
    }

    [Fact]
    public void Export_MaskRcnnCheckpoint_SnippetLoadsStrictlyIntoTorchvisionMaskRcnn()
    {
        using var model = MaskRcnn.FromOptions(new MaskRcnnOptions
        {
            NumClasses = 5, Backbone = new BackboneOptions { Variant = ResNetVariant.ResNet18 }, Transform = Transform,
        });
        string path = Save(model.state_dict());

        var exported = DetectorExport.Save(path, Path.Combine(_folder, "export"));

        Assert.Equal((DetectorKind.MaskRcnn, 5), (exported.Kind, exported.NumClasses));
        Assert.Contains("torchvision.models.detection.MaskRCNN(", exported.LoadSnippet, StringComparison.Ordinal);
        Assert.Equal("strict load ok", RunPython(exported.LoadSnippet + "; print('strict load ok')"));
    }

    private string Save(IReadOnlyDictionary<string, Tensor> tensors) =>
        new CheckpointStore(_folder, keep: 0).Save(tensors, new CheckpointMeta
        {
            Step = 1, Epoch = 0, BatchInEpoch = 0, Method = "mask-rcnn", Backbone = "resnet-fpn", ConfigHash = "",
        });

    /// <summary>Runs <paramref name="code"/> under the oracle's Python (Debian's torchvision 0.14); fails the test on an error.</summary>
    private static string RunPython(string code)
    {
        if (!File.Exists(PythonOracle.Executable)) Assert.Fail($"Python not found at '{PythonOracle.Executable}'; install python3-torch python3-torchvision.");
        var start = new System.Diagnostics.ProcessStartInfo(PythonOracle.Executable) { ArgumentList = { "-c", code }, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "python did not finish within 2 minutes");
        Assert.True(process.ExitCode == 0, stderr.Result);
        return stdout.Result.Trim();
    }
}
