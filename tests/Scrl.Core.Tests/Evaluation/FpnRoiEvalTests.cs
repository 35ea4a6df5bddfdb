using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Loading;
using Scrl.Core.Data.Synthetic;
using Scrl.Core.Evaluation;
using Scrl.Core.Models;
using Scrl.Core.Tests.Support;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Evaluation;

/// <summary>A small generated shapes dataset (24 train, 12 val images of ~110 px), written once per test class.</summary>
public sealed class TinyShapesRoiData : IDisposable
{
    private readonly TempDirectory _folder = new();

    public TinyShapesRoiData()
    {
        SyntheticShapesDataset.Generate(new SyntheticDatasetOptions { TrainImages = 24, ValImages = 12, MinSide = 96, MaxSide = 128, MaxShapesPerImage = 4 },
                                        Root, progress: null, CancellationToken.None);
    }

    public string Root => Path.Combine(_folder.Path, "shapes");

    public string Scratch(string name) => Path.Combine(_folder.Path, name);

    public RoiEvalData Load(RoiEvalOptions options) =>
        RoiEvalData.Load(CocoSplitLocation.Parse(Root, CocoLayout.Train), CocoSplitLocation.Parse(Root, CocoLayout.Val), options);

    public void Dispose() => _folder.Dispose();
}

/// <summary>
/// The FPN variant as docs/roi-eval.md describes it: RoIAlign on C2..C5, averaged and concatenated; backbone
/// BatchNorms on batch statistics (running statistics updated, weights frozen) while the head trains, running
/// statistics for the val features.
/// </summary>
public sealed class FpnRoiEvalTests(TinyShapesRoiData data, ITestOutputHelper output) : IClassFixture<TinyShapesRoiData>
{
    // 96 px squares keep a ResNet-18 forward cheap; C2 (stride 4) still sees a shape over several cells.
    private static RoiEvalOptions Options => new()
    {
        Variant = RoiEvalVariant.Fpn, ImageSize = 96, Epochs = 2, ImageBatch = 8, Seed = 1,
    };

    private static EvalBackbone RandomResNet18(long seed) => EvalBackbone.Load(EvalBackbone.RandomSpec, ResNetVariant.ResNet18, seed, CPU);

    private static Dictionary<string, Tensor> Snapshot(IEnumerable<(string Name, Tensor Value)> tensors) =>
        tensors.ToDictionary(t => t.Name, t => t.Value.detach().clone());

    private static Dictionary<string, Tensor> RunningStats(ResNetBackbone backbone) =>
        Snapshot(backbone.named_buffers().Where(b => b.name.EndsWith("running_mean", StringComparison.Ordinal) ||
                                                     b.name.EndsWith("running_var", StringComparison.Ordinal)));

    private static Dictionary<string, long> BatchesTracked(ResNetBackbone backbone) =>
        backbone.named_buffers().Where(b => b.name.EndsWith("num_batches_tracked", StringComparison.Ordinal))
                .ToDictionary(b => b.name, b => b.buffer.item<long>());

    private static List<BatchNorm2d> BatchNorms(ResNetBackbone backbone) => [.. backbone.modules().OfType<BatchNorm2d>()];

    // Bitwise equal values (TorchSharp's Tensor.equal is elementwise).
    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static void Dispose(Dictionary<string, Tensor> tensors)
    {
        foreach (var t in tensors.Values) t.Dispose();
    }

    /// <summary>Head steps the FPN variant takes: image batches of the seeded shuffle that hold at least two RoIs.</summary>
    private static long ExpectedHeadSteps(RoiSplit train, RoiEvalOptions options)
    {
        long steps = 0;
        for (int epoch = 0; epoch < options.Epochs; epoch++)
            steps += EpochPermutation.Create(options.Seed, epoch, train.Images.Count).Chunk(options.ImageBatch)
                                     .Count(batch => batch.Sum(i => train.Images[i].Boxes.Count) >= 2);
        return steps;
    }

    private RoiEvalReport Run(ResNetBackbone backbone, RoiEvalData splits, RoiEvalOptions options, IProgress<RoiEvalProgress>? progress = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var report = new RoiEvaluator(options).Run(backbone, "random", "random:ResNet18:seed=1", splits.Train, splits.Val, splits.Categories, progress);
        output.WriteLine($"fpn: top-1 {report.Scores.Top1:F4}, mean class {report.Scores.MeanPerClassAccuracy:F4}, loss {report.FinalTrainLoss:F4}, " +
                         $"{report.Counts.TrainRois}/{report.Counts.ValRois} RoIs, {clock.Elapsed.TotalSeconds:F1} s");
        return report;
    }

    [Fact]
    public void Fpn_EndToEnd_ReportsSaneScores_AndC2ToC5Features()
    {
        var options = Options with { CacheDirectory = data.Scratch("fpn-cache") };
        var splits = data.Load(options);
        using var backbone = RandomResNet18(options.Seed);

        var report = Run(backbone.Module, splits, options);

        Assert.Equal(RoiEvalVariant.Fpn, report.Variant);
        Assert.Equal(ResNetVariant.ResNet18, report.Architecture);
        Assert.Equal(splits.Train.RoiCount, report.Counts.TrainRois);
        Assert.Equal(splits.Val.RoiCount, report.Counts.ValRois);
        Assert.InRange(report.Scores.Top1, 0, 1);
        Assert.InRange(report.Scores.MeanPerClassAccuracy, 0, 1);
        // Deterministic; observed 11 of 33 val RoIs (0.333) against 1/8 chance (4.1) for a random trunk.
        Assert.True(report.Scores.Top1 > 1.0 / splits.Categories.Count, $"top-1 {report.Scores.Top1:F3} is not above chance");
        Assert.Equal(report.Counts.ValRois, report.Scores.BySize.Sum(s => s.Count));
        Assert.Equal(report.Counts.ValRois, report.Scores.PerClass.Sum(c => c.Count));
        Assert.All(report.Scores.PerClass, c => Assert.True(c.Count == 0 ? c.Top1 is null : c.Top1 is >= 0 and <= 1));
        Assert.True(double.IsFinite(report.FinalTrainLoss) && report.FinalTrainLoss > 0, $"loss {report.FinalTrainLoss}");
        Assert.True(report.FinalTrainLoss < Math.Log(splits.Categories.Count), $"loss {report.FinalTrainLoss:F3} did not fall below ln K");
        Assert.False(report.TrainFeaturesFromCache);
        Assert.False(Directory.Exists(options.CacheDirectory) && Directory.EnumerateFiles(options.CacheDirectory).Any(),
                     "FPN features change every step and must not be cached");

        // D = C2 + C3 + C4 + C5 channels (64 + 128 + 256 + 512 for ResNet-18): each stage's P x P bins are averaged,
        // so the RoIAlign output size does not multiply the width. The C5 block is exactly the C5 variant's feature.
        var extractor = new RoiFeatureExtractor(backbone.Module, options);
        Assert.Equal(backbone.Module.OutputShapes.Values.Sum(s => s.Channels), extractor.FeatureSize);
        Assert.Equal(64 + 128 + 256 + 512, extractor.FeatureSize);
        using var scope = NewDisposeScope();
        var batch = RoiImageBatch.Load([.. splits.Val.Images.Take(options.ImageBatch)], options);
        backbone.Module.eval();
        var fpn = extractor.Extract(batch.Images, batch.Rois);
        var c5 = new RoiFeatureExtractor(backbone.Module, options with { Variant = RoiEvalVariant.C5 }).Extract(batch.Images, batch.Rois);
        Assert.Equal(new long[] { batch.Labels.shape[0], 960 }, fpn.shape);
        Assert.True(fpn.narrow(1, 960 - 512, 512).allclose(c5, rtol: 1e-5, atol: 1e-6), "the last 512 columns are not C5");
    }

    [Fact]
    public void Fpn_HeadTraining_UpdatesRunningStatsOnly_AndValUsesThem()
    {
        var options = Options;
        var splits = data.Load(options);
        using var backbone = RandomResNet18(options.Seed);
        var module = backbone.Module;
        var weightsBefore = Snapshot(module.named_parameters().Select(p => (p.name, (Tensor)p.parameter)));
        var statsBefore = RunningStats(module);
        module.eval();                                                           // Run must switch to batch statistics itself
        Assert.Equal(20, BatchNorms(module).Count);                              // bn1 + 2 per BasicBlock (8) + 3 downsample
        Assert.All(BatchesTracked(module).Values, n => Assert.Equal(0, n));

        // The progress reports are synchronous: look at the backbone at the end of every head epoch and val batch.
        Dictionary<string, Tensor>? statsAfterTraining = null;
        var epochsSeen = 0;
        var valBatchesSeen = 0;
        var progress = new SyncProgress(p =>
        {
            if (p.Phase == "train head (fpn)")
            {
                epochsSeen++;
                Assert.All(BatchNorms(module), bn => Assert.True(bn.training, "a backbone BatchNorm is not on batch statistics during head training"));
                if (statsAfterTraining is not null) Dispose(statsAfterTraining);
                statsAfterTraining = RunningStats(module);
            }
            else if (p.Phase == "extract val")
            {
                valBatchesSeen++;
                Assert.All(BatchNorms(module), bn => Assert.False(bn.training, "a backbone BatchNorm is on batch statistics for the val features"));
            }
        });
        Run(module, splits, options, progress);

        Assert.Equal(options.Epochs, epochsSeen);
        Assert.True(valBatchesSeen > 0);
        Assert.False(module.training, "the backbone's eval mode was not restored");

        // Frozen: every conv weight and BatchNorm affine parameter is bitwise unchanged.
        foreach (var (name, parameter) in module.named_parameters())
            Assert.True(Same(parameter, weightsBefore[name]), $"{name} changed");

        // Tracked: every BatchNorm's running statistics moved, once per head step (one image batch each).
        var statsAfter = RunningStats(module);
        foreach (var (name, stat) in statsAfter)
            Assert.False(Same(stat, statsBefore[name]), $"{name} was not updated");
        long steps = ExpectedHeadSteps(splits.Train, options);
        Assert.All(BatchesTracked(module).Values, n => Assert.Equal(steps, n));

        // Val extraction ran in eval mode: it left the running statistics exactly as head training ended them.
        Assert.NotNull(statsAfterTraining);
        foreach (var (name, stat) in statsAfter)
            Assert.True(Same(stat, statsAfterTraining![name]), $"{name} changed during val extraction");

        // Test-time features use those running statistics: the same val batch gives identical features twice, other
        // features than with the initial running statistics (0 and 1), and other features than batch statistics.
        using var scope = NewDisposeScope();
        var extractor = new RoiFeatureExtractor(module, options);
        var batch = RoiImageBatch.Load([.. splits.Val.Images.Take(options.ImageBatch)], options);
        module.eval();
        var first = extractor.Extract(batch.Images, batch.Rois);
        var second = extractor.Extract(batch.Images, batch.Rois);
        Assert.True(Same(first, second), "two evaluations of the same val batch differ");
        using (var fresh = RandomResNet18(options.Seed))
        {
            fresh.Module.eval();
            var initial = new RoiFeatureExtractor(fresh.Module, options).Extract(batch.Images, batch.Rois);
            Assert.False(first.allclose(initial, rtol: 1e-3, atol: 1e-4), "val features ignore the updated running statistics");
        }
        module.train();
        var batchStats = extractor.Extract(batch.Images, batch.Rois);
        Assert.False(first.allclose(batchStats, rtol: 1e-3, atol: 1e-4), "eval-mode features equal batch-statistics features");

        Dispose(weightsBefore);
        Dispose(statsBefore);
        Dispose(statsAfter);
        Dispose(statsAfterTraining!);
    }

    [Fact]
    public void Fpn_SameSeed_GivesExactlyTheSameScoresAndRunningStats()
    {
        var options = Options;
        var splits = data.Load(options);
        using var a = RandomResNet18(options.Seed);
        using var b = RandomResNet18(options.Seed);

        var first = Run(a.Module, splits, options);
        var second = Run(b.Module, splits, options);

        Assert.Equal(first.Scores.Top1, second.Scores.Top1);
        Assert.Equal(first.Scores.MeanPerClassAccuracy, second.Scores.MeanPerClassAccuracy);
        Assert.Equal(first.Scores.PerClass, second.Scores.PerClass);
        Assert.Equal(first.Scores.BySize, second.Scores.BySize);
        Assert.Equal(first.FinalTrainLoss, second.FinalTrainLoss);
        var statsA = RunningStats(a.Module);
        var statsB = RunningStats(b.Module);
        foreach (var (name, stat) in statsA)
            Assert.True(Same(stat, statsB[name]), $"{name} differs between two runs of one seed");
        Dispose(statsA);
        Dispose(statsB);
    }

    private sealed class SyncProgress(Action<RoiEvalProgress> report) : IProgress<RoiEvalProgress>
    {
        public void Report(RoiEvalProgress value) => report(value);
    }
}
