using Scrl.Core.Data.Coco;
using Scrl.Detection.Evaluation;
using Scrl.Detection.Tests.Support;
using Scrl.Detection.Training;
using Xunit.Abstractions;

namespace Scrl.Detection.Tests.Training;

// Seeds torch's process-wide generator for the model's initial weights, so it runs alone.
[Collection(SerialCollection.Name)]
public class FinetuneLearningTests(ITestOutputHelper output)
{
    /// <summary>
    /// Learning check (~0.2 s/step on 2 idle cores, about 30 s in all): a random tiny R18-FPN Faster R-CNN trained on 12 generated
    /// images of 1–2 large shapes for 150 steps must detect them: training-set COCO AP50 well above the untrained model's.
    /// </summary>
    [Fact]
    [Trait("Category", "Long")]
    public void Finetune_SyntheticShapes_TrainingAp50RisesAboveZero()
    {
        string root = TinyDetector.GenerateShapes(trainImages: 12, valImages: 1);
        var dataset = TinyDetector.Read(root, CocoLayout.Train);
        var train = new DetectionDataset(dataset, training: true);
        var options = new FinetuneOptions
        {
            BaseLearningRate = 0.01, ImagesPerStep = 4, ImagesPerDevice = 4, ReferenceBatchSize = 4,
            MaxSteps = 150, LrSteps = [120], WarmupSteps = 20, TrainMinSizes = [TinyDetector.ImageSize],
            TestMinSize = TinyDetector.ImageSize, MaxSize = TinyDetector.ImageSize, Seed = 1,
        };
        TorchSharp.torch.random.manual_seed(1);
        using var model = FasterRcnn.FromOptions(TinyDetector.Options(train.NumClasses));
        var trainer = new DetectionTrainer(model, train, options);
        var groundTruth = CocoGroundTruth.Load(CocoLayout.AnnotationFile(root, CocoLayout.Train));
        double untrainedAp50 = new CocoEvaluator().Evaluate(groundTruth,
            DetectionPredictor.Predict(model, new DetectionDataset(dataset, training: false), batchSize: 4)).AP50;
        model.train();

        var started = DateTime.UtcNow;
        var first = trainer.Step(0);
        trainer.Run(1, null, null, new Progress<DetectionStepResult>(r => { if (r.Step % 25 == 0) output.WriteLine($"step {r.Step} loss {r.Losses["loss"]:F3} ({r.Seconds:F2} s)"); }), CancellationToken.None);
        var detections = DetectionPredictor.Predict(model, new DetectionDataset(dataset, training: false), batchSize: 4);
        var stats = new CocoEvaluator().Evaluate(groundTruth, detections);

        output.WriteLine($"first loss {first.Losses["loss"]:F3}; train AP50 {untrainedAp50:F3} -> {stats.AP50:F3}, AP {stats.AP:F3}; {(DateTime.UtcNow - started).TotalSeconds:F0} s");
        Assert.True(stats.AP50 > 0.15 && stats.AP50 > untrainedAp50 + 0.1,
                    $"training-set AP50 went from {untrainedAp50:F3} to {stats.AP50:F3}; it should rise well above zero");
    }
}
