using Scrl.Core.Data.Coco;
using Scrl.Core.Interop;
using Scrl.Core.Training;
using Scrl.Core.Training.Checkpoints;
using Scrl.Detection.Tests.Support;
using Scrl.Detection.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Scrl.Detection.Tests.Training;

[Collection(SerialCollection.Name)]
public class DetectionTrainerTests(ITestOutputHelper output)
{
    // Warmup spans the resume point, and two micro-batches per step exercise accumulation.
    private static readonly FinetuneOptions Options = new()
    {
        BaseLearningRate = 0.02, ImagesPerStep = 4, ImagesPerDevice = 2, ReferenceBatchSize = 4,
        MaxSteps = 6, LrSteps = [], WarmupSteps = 4, TrainMinSizes = [96, TinyDetector.ImageSize],
        TestMinSize = TinyDetector.ImageSize, MaxSize = TinyDetector.ImageSize, Seed = 3, CheckpointPeriod = 3,
    };

    /// <summary>SGD for the R-CNNs; Sparse R-CNN's AdamW with clipping and the crop augmentation, whose state and draws must resume too.</summary>
    [Theory]
    [InlineData(DetectorKind.FasterRcnn)]
    [InlineData(DetectorKind.SparseRcnn)]
    public void Trainer_ResumeFromCheckpoint_MatchesUninterruptedRunBitwise(DetectorKind kind)
    {
        var train = new DetectionDataset(TinyDetector.Read(TinyDetector.GenerateShapes(6, 1), CocoLayout.Train), training: true);
        string checkpoints = Directory.CreateTempSubdirectory("trainer-resume").FullName;
        Detector Build() => kind == DetectorKind.SparseRcnn
            ? SparseRcnn.FromOptions(TinySparseRcnn.Options(train.NumClasses) with { Stages = 2 })
            : FasterRcnn.FromOptions(TinyDetector.Options(train.NumClasses));
        var options = kind == DetectorKind.SparseRcnn ? TinySparseRcnn.Schedule(Options) with { BaseLearningRate = 1e-3, RandomCrop = true } : Options;
        using var straight = Build();
        var initial = straight.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());

        new DetectionTrainer(straight, train, options).Run(0, null, null, null, CancellationToken.None);

        using (var firstHalf = Build())
        {
            BackboneLoad.Into(firstHalf, initial);
            new DetectionTrainer(firstHalf, train, options with { MaxSteps = 3 })
                .Run(0, new CheckpointStore(checkpoints, keep: 1), null, null, CancellationToken.None);
        }
        using var resumed = Build();
        var trainer = new DetectionTrainer(resumed, train, options);
        using (var latest = new CheckpointStore(checkpoints, keep: 1).LoadLatest()!)
            Assert.Equal(3, trainer.Restore(latest));
        trainer.Run(3, null, null, null, CancellationToken.None);

        var expected = straight.state_dict();
        var differing = resumed.state_dict().Where(kv => !kv.Value.eq(expected[kv.Key]).all().item<bool>()).Select(kv => kv.Key).ToList();
        Assert.True(differing.Count == 0, $"{differing.Count} tensors differ after resume, e.g. {string.Join(", ", differing.Take(5))}");
        string classifier = kind == DetectorKind.SparseRcnn ? "head.head_series.1.class_logits.weight" : "roi_heads.box_predictor.cls_score.weight";
        Assert.False(expected[classifier].eq(initial[classifier]).all().item<bool>());
        foreach (var t in initial.Values) t.Dispose();
    }

    [Fact]
    public void Restore_CheckpointTrainedWithOtherOptions_IsRefusedAndKeepsWeights()
    {
        var train = new DetectionDataset(TinyDetector.Read(TinyDetector.GenerateShapes(4, 1), CocoLayout.Train), training: true);
        string run = Directory.CreateTempSubdirectory("trainer-conflict").FullName;
        var store = new CheckpointStore(Path.Combine(run, "checkpoints"), keep: 1);
        using (var first = FasterRcnn.FromOptions(TinyDetector.Options(train.NumClasses)))
            new DetectionTrainer(first, train, Options with { MaxSteps = 1 }).Run(0, store, null, null, CancellationToken.None);
        using var model = FasterRcnn.FromOptions(TinyDetector.Options(train.NumClasses));
        var before = model.state_dict()["roi_heads.box_head.fc6.weight"].clone();
        var trainer = new DetectionTrainer(model, train, Options with { BaseLearningRate = 0.01 });

        using var latest = store.LoadLatest()!;
        var error = Assert.Throws<RunFolderConflictException>(() => trainer.Restore(latest));

        Assert.Equal(run, error.RunFolder);
        Assert.True(model.state_dict()["roi_heads.box_head.fc6.weight"].eq(before).all().item<bool>(), "nothing is copied on a refusal");
    }

    [Fact]
    public void Trainer_TwentySteps_KeepLiveTensorCountFlat()
    {
        var train = new DetectionDataset(TinyDetector.Read(TinyDetector.GenerateShapes(4, 1), CocoLayout.Train), training: true);
        using var model = FasterRcnn.FromOptions(TinyDetector.Options(train.NumClasses));
        var counts = new List<long>();
        var progress = new SyncProgress<DetectionStepResult>(_ => counts.Add(Tensor.TotalCount));
        // Tensors that earlier tests left to the finalizer would otherwise be counted, then vanish mid-run.
        GC.Collect();
        GC.WaitForPendingFinalizers();

        new DetectionTrainer(model, train, Options with { MaxSteps = 20, ImagesPerDevice = 4 }).Run(0, null, null, progress, CancellationToken.None);

        output.WriteLine($"live tensors per step: {string.Join(", ", counts)}");
        Assert.Equal(20, counts.Count);
        Assert.True(counts.Skip(1).Distinct().Count() == 1, $"live tensors drift: {string.Join(", ", counts)}");
    }

    /// <summary>Reports on the caller's thread, so the count is read between steps (Progress&lt;T&gt; posts to the pool).</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
