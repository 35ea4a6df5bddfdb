using Scrl.Cli.Tests.Support;
using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Datasets;
using Scrl.Core.Models;
using Scrl.Core.Training.Checkpoints;
using Scrl.Detection;
using Scrl.Detection.Backbones;
using Scrl.Detection.Evaluation;
using Scrl.Detection.RoiHeads;
using Scrl.Detection.Rpn;
using Scrl.Detection.Training;
using Scrl.Detection.Transform;

namespace Scrl.Cli.Tests.Commands;

/// <summary>
/// <c>scrl evaluate --model</c> end to end on a one-step tiny detector: results json, the summary table, overlays.
/// Its AP is near zero; the metrics themselves are proven against pycocotools and detectron2 in Scrl.Detection.Tests.
/// </summary>
public sealed class EvaluateCommandTests(GeneratedCoco coco) : IClassFixture<GeneratedCoco>
{
    private const int Size = 112;

    [Fact]
    public async Task Evaluate_ModelOnCocoVal_WritesResultsSummaryAndOverlays()
    {
        string checkpoint = TrainOneStep(coco.ReadTrain());
        string output = coco.NewFolder();

        var (code, text) = await CliRunner.RunAsync("evaluate", "--model", checkpoint, "--val", coco.Root, "--min-size", $"{Size}", "--max-size", $"{Size}", "-o", output, "--overlays", "1");

        Assert.Equal(0, code);
        Assert.Contains(" Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = ", text);
        var detections = CocoResultsJson.Load(Path.Combine(output, "detections.json"));
        var valIds = coco.ReadVal().Records.Select(r => long.Parse(r.ImageId)).ToHashSet();
        Assert.All(detections, d => Assert.Contains(d.ImageId, valIds));
        var overlay = Assert.Single(Directory.GetFiles(output, "overlay-*.png"));
        Assert.True(new FileInfo(overlay).Length > 1000);
    }

    [Fact]
    public async Task Evaluate_VocTask_PrintsVocMetricsPerClass()
    {
        string checkpoint = TrainOneStep(coco.ReadTrain());

        var (code, text) = await CliRunner.RunAsync("evaluate", "--model", checkpoint, "--val", coco.Root, "--task", "voc-det", "--min-size", $"{Size}", "--max-size", $"{Size}", "-o", coco.NewFolder(), "--overlays", "0");

        Assert.Equal(0, code);
        Assert.Matches(@"VOC  AP \d+\.\d\d  AP50 \d+\.\d\d  AP75 \d+\.\d\d", text);
        Assert.All(coco.ReadVal().Categories, c => Assert.Contains(c.Name, text));
    }

    /// <summary>A checkpoint as scrl finetune writes it (weights plus momentum), from one SGD step of a tiny detector.</summary>
    private string TrainOneStep(ImageDataset dataset)
    {
        var train = new DetectionDataset(dataset, training: true);
        using var model = FasterRcnn.FromOptions(new FasterRcnnOptions
        {
            NumClasses = train.NumClasses,
            Backbone = new BackboneOptions { Variant = ResNetVariant.ResNet18, Norm = BackboneNorm.BatchNorm, TrainableLayers = 5, FpnChannels = 32 },
            Transform = new TransformOptions { MinSize = [Size], MaxSize = Size },
            Rpn = new RpnOptions { PreNmsTopN = new(200, 100), PostNmsTopN = new(100, 50) },
            BoxHead = new BoxHeadOptions { BatchSizePerImage = 64, RepresentationSize = 128 },
        });
        var options = new FinetuneOptions { MaxSteps = 1, LrSteps = [], ImagesPerStep = 2, ImagesPerDevice = 2, TrainMinSizes = [Size], MaxSize = Size };
        var store = new CheckpointStore(coco.NewFolder(), keep: 0);
        new DetectionTrainer(model, train, options).Run(0, store, null, null, CancellationToken.None);
        return Path.Combine(store.Directory, CheckpointStore.NameOf(1) + ".ckpt");
    }
}
