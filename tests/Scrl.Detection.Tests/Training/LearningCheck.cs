using Scrl.Core.Data.Datasets;
using Scrl.Detection.Evaluation;
using Scrl.Detection.Training;
using Xunit.Abstractions;

namespace Scrl.Detection.Tests.Training;

/// <summary>Trains a detector from random init on a small set and asserts that its training-set AP50 rises well above the untrained model's.</summary>
public sealed class LearningCheck(ITestOutputHelper output)
{
    /// <summary>Batch 4, warmup 20, one decay at 80%, every size <paramref name="imageSize"/>.</summary>
    public static FinetuneOptions Schedule(double baseLearningRate, long steps, int imageSize) => new()
    {
        BaseLearningRate = baseLearningRate, ImagesPerStep = 4, ImagesPerDevice = 4, ReferenceBatchSize = 4,
        MaxSteps = steps, LrSteps = [steps * 4 / 5], WarmupSteps = 20, TrainMinSizes = [imageSize],
        TestMinSize = imageSize, MaxSize = imageSize, Seed = 1,
    };

    /// <param name="annotations">The COCO json that <paramref name="dataset"/> was read from, the ground truth of <paramref name="iouType"/>.</param>
    public void AssertLearns(Detector model, ImageDataset dataset, string annotations, CocoIouType iouType, FinetuneOptions options,
                             double minimumAp50, double minimumRise)
    {
        var train = new DetectionDataset(dataset, training: true, DetectorKinds.ExtrasOf(model.Kind));
        var trainer = new DetectionTrainer(model, train, options);
        var groundTruth = CocoGroundTruth.Load(annotations, iouType);
        var evaluation = new DetectionDataset(dataset, training: false);
        var evaluator = new CocoEvaluator(iouType);
        double untrainedAp50 = evaluator.Evaluate(groundTruth, DetectionPredictor.Predict(model, evaluation, batchSize: 4)).AP50;
        model.train();

        var started = DateTime.UtcNow;
        // One intra-op thread: with two, these small models' many tiny ops wait on each other whenever the machine is
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
        var stats = evaluator.Evaluate(groundTruth, DetectionPredictor.Predict(model, evaluation, batchSize: 4));

        output.WriteLine($"{model.Kind} {CocoIouTypes.NameOf(iouType)}: {train.Records.Count} images, {train.NumClasses - 1} classes; train AP50 {untrainedAp50:F3} -> {stats.AP50:F3}, AP {stats.AP:F3}; {(DateTime.UtcNow - started).TotalSeconds:F0} s");
        Assert.True(stats.AP50 > minimumAp50 && stats.AP50 > untrainedAp50 + minimumRise,
                    $"training-set {CocoIouTypes.NameOf(iouType)} AP50 went from {untrainedAp50:F3} to {stats.AP50:F3}; it should rise well above zero");
    }
}
