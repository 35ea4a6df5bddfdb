using Scrl.Cli.Tests.Support;
using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Datasets;
using Scrl.Core.Models;
using Scrl.Core.Training.Checkpoints;
using Scrl.Detection;
using Scrl.Detection.Backbones;
using Scrl.Detection.Evaluation;
using Scrl.Detection.Masks;
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
    public async Task Evaluate_VocTaskOnACocoLayout_PrintsVocMetricsPerClass()
    {
        string checkpoint = TrainOneStep(coco.ReadTrain());

        var (code, text) = await CliRunner.RunAsync("evaluate", "--model", checkpoint, "--val", coco.Root, "--format", "coco", "--task", "voc-det", "--min-size", $"{Size}", "--max-size", $"{Size}", "-o", coco.NewFolder(), "--overlays", "0");

        Assert.Equal(0, code);
        Assert.Matches(@"VOC  AP \d+\.\d\d  AP50 \d+\.\d\d  AP75 \d+\.\d\d", text);
        Assert.All(coco.ReadVal().Categories, c => Assert.Contains(c.Name, text));
    }

    /// <summary>
    /// A VOC2012 layout (ids like 2008_000001, which are not numbers): the VOC reader that finetune uses feeds a
    /// training step, and evaluate scores the checkpoint on it, naming overlays by VOC id. The classifier is biased
    /// towards one class so that every image has detections whose results ids must map back to it.
    /// </summary>
    [Fact]
    public async Task Evaluate_Voc2012Layout_MapsYearIdsThroughResults()
    {
        string root = coco.NewFolder();
        var ids = Voc2012Layout.Write(coco.ReadTrain(), root, "val");
        string checkpoint = TrainOneStep(VocDatasetReader.Read(root, "val"), favourFirstClass: true);
        string output = coco.NewFolder();

        var (code, text) = await CliRunner.RunAsync("evaluate", "--model", checkpoint, "--val", root, "--format", "voc", "--split", "val", "--task", "voc-det",
                                                    "--min-size", $"{Size}", "--max-size", $"{Size}", "-o", output, "--overlays", "1");

        Assert.Equal(0, code);
        Assert.Matches(@"VOC  AP \d+\.\d\d  AP50 \d+\.\d\d  AP75 \d+\.\d\d", text);
        var detections = CocoResultsJson.Load(Path.Combine(output, "detections.json"));
        var index = ResultImageIds.Index(ids);
        Assert.Equal(ids.ToHashSet(), detections.Select(d => index[d.ImageId]).ToHashSet());
        Assert.True(File.Exists(Path.Combine(output, $"overlay-{ids[0]}.png")));
    }

    [Fact]
    public async Task Evaluate_VocLayoutWithCocoTask_FailsWithAHint()
    {
        string root = coco.NewFolder();
        Voc2012Layout.Write(coco.ReadVal(), root, "val");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => CliRunner.RunAsync("evaluate", "--model", "unused.ckpt", "--val", root, "--format", "voc", "--split", "val"));

        Assert.Contains("--task voc-det", error.Message);
    }

    [Fact]
    public async Task Evaluate_ResultsFile_PrintsTheSummaryAndWhatItScored()
    {
        string gtPath = CocoLayout.AnnotationFile(coco.Root, CocoLayout.Val);
        var gt = CocoGroundTruth.Load(gtPath);
        var perfect = gt.Annotations.Where(a => a.IsCrowd == 0).Select(a => new CocoDetection(a.ImageId, a.CategoryId, a.Bbox, 0.9)).ToList();
        string results = Path.Combine(coco.NewFolder(), "results.json");
        CocoResultsJson.Save(results, perfect);

        var (code, text) = await CliRunner.RunAsync("evaluate", "--gt", gtPath, "--dets", results);

        Assert.Equal(0, code);
        Assert.Contains(" Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 1.000", text);
        Assert.Matches($@"{perfect.Count} detections on {gt.ImageIds.Count} images scored in \d+\.\d s", text);
    }

    [Fact]
    public async Task Evaluate_ResultsOfAnImageNotInTheGroundTruth_FailsNamingIt()
    {
        string gtPath = CocoLayout.AnnotationFile(coco.Root, CocoLayout.Val);
        string results = Path.Combine(coco.NewFolder(), "results.json");
        CocoResultsJson.Save(results, [new CocoDetection(987654321, 1, [1, 1, 10, 10], 0.5)]);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => CliRunner.RunAsync("evaluate", "--gt", gtPath, "--dets", results));

        Assert.Contains("987654321", error.Message);
    }

    [Fact]
    public async Task Evaluate_SegmResultsFile_ScoresMasksAgainstTheGroundTruthPolygons()
    {
        string gtPath = CocoLayout.AnnotationFile(coco.Root, CocoLayout.Val);
        var gt = CocoGroundTruth.Load(gtPath, CocoIouType.Segm);
        var perfect = gt.FullAnnotations!.Where(a => a.IsCrowd == 0).Select(a =>
        {
            var image = gt.Images[a.ImageId];
            byte[] mask = CocoMasks.Rasterize(a.Segmentation!, image.Height, image.Width);
            return new CocoDetection(a.ImageId, a.CategoryId, null, 0.9) { Segmentation = CocoMasks.Encode(mask, image.Height, image.Width) };
        }).ToList();
        string results = Path.Combine(coco.NewFolder(), "results.json");
        CocoResultsJson.Save(results, perfect);

        var (code, text) = await CliRunner.RunAsync("evaluate", "--gt", gtPath, "--dets", results, "--iou-type", "segm");

        Assert.Equal(0, code);
        Assert.Contains(" Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 1.000", text);
    }

    [Fact]
    public async Task Evaluate_BoxResultsScoredAsSegm_FailsNamingTheMissingMasks()
    {
        string gtPath = CocoLayout.AnnotationFile(coco.Root, CocoLayout.Val);
        var gt = CocoGroundTruth.Load(gtPath);
        string results = Path.Combine(coco.NewFolder(), "results.json");
        CocoResultsJson.Save(results, [new CocoDetection(gt.ImageIds[0], gt.CategoryIds[0], [1, 1, 10, 10], 0.5)]);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => CliRunner.RunAsync("evaluate", "--gt", gtPath, "--dets", results, "--iou-type", "segm"));

        Assert.Contains("results[0].segmentation", error.Message);
    }

    /// <summary>A checkpoint as scrl finetune writes it (weights plus momentum), from one SGD step of a tiny detector.</summary>
    /// <param name="favourFirstClass">Bias the classifier towards label 1, so that every proposal scores above the detection threshold.</param>
    private string TrainOneStep(ImageDataset dataset, bool favourFirstClass = false)
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
        if (favourFirstClass)
            using (TorchSharp.torch.no_grad())
                model.named_parameters().Single(p => p.name == "roi_heads.box_predictor.cls_score.bias").parameter[1].fill_(5.0);
        var options = new FinetuneOptions { MaxSteps = 1, LrSteps = [], ImagesPerStep = 2, ImagesPerDevice = 2, TrainMinSizes = [Size], MaxSize = Size };
        var store = new CheckpointStore(coco.NewFolder(), keep: 0);
        new DetectionTrainer(model, train, options).Run(0, store, null, null, CancellationToken.None);
        return Path.Combine(store.Directory, CheckpointStore.NameOf(1) + ".ckpt");
    }
}
