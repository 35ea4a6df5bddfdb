using Scrl.Core.Data.Datasets;
using Scrl.Detection.Evaluation;
using Scrl.Detection.Tests.Support;
using Scrl.Detection.Training;
using Scrl.Detection.Transform;
using Xunit.Abstractions;

namespace Scrl.Detection.Tests.Training;

// Seeds torch's process-wide generator for the model's initial weights and sets the thread count, so it runs alone.
[Collection(SerialCollection.Name)]
public class CocoTinyLearningTests(ITestOutputHelper output)
{
    private const int ImageSize = 224;

    /// <summary>
    /// Learning check on real photos: a random tiny R18-FPN Faster R-CNN trained on the coco-tiny train images with
    /// at most 4 objects of at least 48 px (16 images, 23 categories) at 224 px for 200 steps must detect them:
    /// training-set AP50 well above the untrained model's (0.80 against 0.00 here). 0.7-1 s/step on one thread of a
    /// busy 2-core machine, about 3 minutes in all.
    /// </summary>
    [Fact]
    [Trait("Category", "Shared")]
    public void Finetune_CocoTinyTrain_TrainingAp50RisesAboveZero()
    {
        var (dataset, annotations) = CocoTinyTrain();
        var train = new DetectionDataset(dataset, training: true);
        TorchSharp.torch.random.manual_seed(1);
        using var model = FasterRcnn.FromOptions(TinyDetector.Options(train.NumClasses) with
        {
            Transform = new TransformOptions { MinSize = [ImageSize], MaxSize = ImageSize },
        });
        AssertLearns(model, dataset, annotations, Schedule(baseLearningRate: 0.01, steps: 200), minimumAp50: 0.4, minimumRise: 0.3);
    }

    /// <summary>
    /// The same check for a one-stage detector: a random R18-FPN RetinaNet (32-channel FPN and heads) on the same 16
    /// images at 224 px, every object relabelled "object". Its dense focal loss starts every anchor at the prior's 1%
    /// and learns 80 classes from 16 images slowly (training-set AP50 0.09 after 800 steps with a 64-channel FPN); one
    /// class reaches 0.27 in 400 steps (0.00 untrained), about 3 minutes.
    /// </summary>
    [Fact]
    [Trait("Category", "Shared")]
    public void FinetuneRetinaNet_CocoTinyTrainAsOneClass_TrainingAp50RisesAboveZero()
    {
        var (dataset, annotations) = CocoTinyTrain(oneClass: true);
        var train = new DetectionDataset(dataset, training: true);
        TorchSharp.torch.random.manual_seed(1);
        using var model = RetinaNet.FromOptions(new RetinaNetOptions
        {
            NumClasses = train.NumClasses,
            Backbone = RetinaNetOptions.BackboneLayout with
            {
                Variant = Core.Models.ResNetVariant.ResNet18, Norm = Backbones.BackboneNorm.BatchNorm, TrainableLayers = 5, FpnChannels = 32,
            },
            Transform = new TransformOptions { MinSize = [ImageSize], MaxSize = ImageSize },
        });
        AssertLearns(model, dataset, annotations, Schedule(baseLearningRate: 0.01, steps: 400), minimumAp50: 0.15, minimumRise: 0.15);
    }

    private static (ImageDataset Dataset, string Annotations) CocoTinyTrain(bool oneClass = false)
    {
        string images = SharedReference.PathOf("data/coco-tiny/train2017");
        string annotations = CocoTinySubset.Write(SharedReference.PathOf("data/coco-tiny/annotations/instances_train2017.json"), maxObjects: 4, minSide: 48, oneClass);
        return (CocoDatasetReader.Read(annotations, images), annotations);
    }

    private static FinetuneOptions Schedule(double baseLearningRate, long steps) => new()
    {
        BaseLearningRate = baseLearningRate, ImagesPerStep = 4, ImagesPerDevice = 4, ReferenceBatchSize = 4,
        MaxSteps = steps, LrSteps = [steps * 4 / 5], WarmupSteps = 20, TrainMinSizes = [ImageSize],
        TestMinSize = ImageSize, MaxSize = ImageSize, Seed = 1,
    };

    private void AssertLearns(Detector model, ImageDataset dataset, string annotations, FinetuneOptions options, double minimumAp50, double minimumRise)
    {
        var train = new DetectionDataset(dataset, training: true);
        var trainer = new DetectionTrainer(model, train, options);
        var groundTruth = CocoGroundTruth.Load(annotations);
        var evaluation = new DetectionDataset(dataset, training: false);
        double untrainedAp50 = new CocoEvaluator().Evaluate(groundTruth, DetectionPredictor.Predict(model, evaluation, batchSize: 4)).AP50;
        model.train();

        var started = DateTime.UtcNow;
        // One intra-op thread: with two, this small model's many tiny ops wait on each other whenever the machine is
        // busy (7 s steps instead of 0.3 s were seen); one thread degrades only by its share of the CPU.
        int threads = TorchSharp.torch.get_num_threads();
        TorchSharp.torch.set_num_threads(1);
        try
        {
            trainer.Run(0, null, null, new Progress<DetectionStepResult>(r => { if (r.Step % 50 == 0) output.WriteLine($"step {r.Step} loss {r.Losses["loss"]:F3} ({r.Seconds:F2} s)"); }), CancellationToken.None);
        }
        finally
        {
            TorchSharp.torch.set_num_threads(threads);
        }
        var stats = new CocoEvaluator().Evaluate(groundTruth, DetectionPredictor.Predict(model, evaluation, batchSize: 4));

        output.WriteLine($"{model.Kind}: {train.Records.Count} images, {train.NumClasses - 1} classes; train AP50 {untrainedAp50:F3} -> {stats.AP50:F3}, AP {stats.AP:F3}; {(DateTime.UtcNow - started).TotalSeconds:F0} s");
        Assert.True(stats.AP50 > minimumAp50 && stats.AP50 > untrainedAp50 + minimumRise,
                    $"training-set AP50 went from {untrainedAp50:F3} to {stats.AP50:F3}; it should rise well above zero");
    }
}
