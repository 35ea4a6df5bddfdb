using Scrl.Core.Models;
using Scrl.Core.Tests.Support;
using Scrl.Core.Training.Checkpoints;
using Scrl.Detection.Backbones;
using Scrl.Detection.Tests.Support;

namespace Scrl.Detection.Tests.Models;

/// <summary>An exported Keypoint R-CNN loads strictly into torchvision 0.14 with the snippet the export prints.</summary>
public sealed class KeypointRcnnExportTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("keypointrcnn-export").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(ResNetVariant.ResNet18, BackboneNorm.FrozenBatchNorm, "KeypointRCNN(resnet_fpn_backbone(")]   // fine-tuning: frozen statistics
    [InlineData(ResNetVariant.ResNet50, BackboneNorm.BatchNorm, "KeypointRCNN(resnet_fpn_backbone(")]         // keypointrcnn_resnet50_fpn is this
    public void Save_KeypointRcnn_PrintsASnippetThatLoadsStrictly(ResNetVariant variant, BackboneNorm norm, string builder)
    {
        var options = new KeypointRcnnOptions
        {
            NumClasses = 3,
            Backbone = new BackboneOptions { Variant = variant, Norm = norm },
            Transform = TinyKeypointRcnn.Transform,
            KeypointHead = new() { NumKeypoints = TinyKeypointRcnn.NumKeypoints },
        };
        using var model = KeypointRcnn.FromOptions(options);
        string checkpoint = new CheckpointStore(Path.Combine(_folder, "ckpt"), keep: 0).Save(model.state_dict(), new CheckpointMeta
        {
            Step = 1, Epoch = 0, BatchInEpoch = 0, Method = DetectorKinds.NameOf(DetectorKind.KeypointRcnn), Backbone = "resnet-fpn", ConfigHash = "",
        });

        var exported = DetectorExport.Save(checkpoint, Path.Combine(_folder, "export"));

        Assert.Equal((DetectorKind.KeypointRcnn, 3), (exported.Kind, exported.NumClasses));
        Assert.Contains(builder, exported.LoadSnippet, StringComparison.Ordinal);
        Assert.Equal("loaded", PythonOracle.Run("keypointrcnn/load_export.py", exported.LoadSnippet, "3", $"{TinyKeypointRcnn.NumKeypoints}").Trim());
    }
}
