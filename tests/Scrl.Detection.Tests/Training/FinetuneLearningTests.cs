using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Datasets;
using Scrl.Core.Data.Synthetic;
using Scrl.Core.Models;
using Scrl.Detection.Backbones;
using Scrl.Detection.Evaluation;
using Scrl.Detection.Training;
using Scrl.Detection.Transform;
using Xunit.Abstractions;

namespace Scrl.Detection.Tests.Training;

public class FinetuneLearningTests(ITestOutputHelper output)
{
    /// <summary>
    /// Learning check (about 10 min on 2 CPU cores): Faster R-CNN with a random R18-FPN, BatchNorm, on 24 generated
    /// shape images at 160 px for 300 steps; training-set COCO AP50 must rise well above zero.
    /// </summary>
    [Fact]
    [Trait("Category", "Long")]
    public void Finetune_SyntheticShapes_TrainingAp50RisesAboveZero()
    {
        string root = Path.Combine(Directory.CreateTempSubdirectory("finetune-learning").FullName, "shapes");
        SyntheticShapesDataset.Generate(new SyntheticDatasetOptions { Seed = 7, TrainImages = 24, ValImages = 2, MinSide = 128, MaxSide = 160, MaxShapesPerImage = 3 },
                                        root, null, CancellationToken.None);
        string annotations = CocoLayout.AnnotationFile(root, CocoLayout.Train);
        var dataset = CocoDatasetReader.Read(annotations, CocoLayout.ImageFolder(root, CocoLayout.Train));
        var train = new DetectionDataset(dataset, training: true);
        var options = new FinetuneOptions
        {
            BaseLearningRate = 0.02, ImagesPerStep = 4, ImagesPerDevice = 4, ReferenceBatchSize = 4,
            MaxSteps = 300, LrSteps = [240], WarmupSteps = 30, TrainMinSizes = [160], TestMinSize = 160, MaxSize = 200, Seed = 1,
        };
        var model = FasterRcnn.FromOptions(new FasterRcnnOptions
        {
            NumClasses = train.NumClasses,
            Backbone = new BackboneOptions { Variant = ResNetVariant.ResNet18, Norm = BackboneNorm.BatchNorm, TrainableLayers = 5, FpnChannels = 64 },
            Transform = new TransformOptions { MinSize = [160], MaxSize = 200 },
            Rpn = new Rpn.RpnOptions { PreNmsTopN = new(600, 300), PostNmsTopN = new(300, 100) },
            BoxHead = new RoiHeads.BoxHeadOptions { BatchSizePerImage = 128, RepresentationSize = 256 },
        });
        var trainer = new DetectionTrainer(model, train, options);

        var first = trainer.Step(0);
        trainer.Run(1, null, null, new Progress<DetectionStepResult>(r => { if (r.Step % 50 == 0) output.WriteLine($"step {r.Step} loss {r.Losses["loss"]:F3}"); }), CancellationToken.None);
        var detections = DetectionPredictor.Predict(model, new DetectionDataset(dataset, training: false), batchSize: 4);
        var stats = new CocoEvaluator().Evaluate(CocoGroundTruth.Load(annotations), detections);

        output.WriteLine($"first loss {first.Losses["loss"]:F3}; train AP50 {stats.AP50:F3}, AP {stats.AP:F3}");
        Assert.True(stats.AP50 > 0.2, $"training-set AP50 {stats.AP50:F3} should rise well above zero");
    }
}
