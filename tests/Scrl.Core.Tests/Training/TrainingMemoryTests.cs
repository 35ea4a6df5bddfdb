using System.Diagnostics;
using Scrl.Core.Tests.Support;
using Scrl.Core.Training;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Training;

/// <summary>Long-run memory behaviour: thousands of steps must not grow live tensors or native memory in use.</summary>
[Collection(ProcessWideStateCollection.Name)]
public class TrainingMemoryTests(TinyRun tiny) : IClassFixture<TinyRun>
{
    private const int Steps = 2000;

    [Fact]
    [Trait("Category", "Long")]
    public async Task TwoThousandSteps_KeepLiveTensorsAndNativeMemoryFlat()
    {
        using var dir = new TempDirectory();
        var config = tiny.Config($"run.maxSteps={Steps}", "run.epochs=1000", "run.logEverySteps=100", "run.checkpointEverySteps=500",
                                 "augment.inputSize=32", "boxes.inputSize=32", "boxes.minSize=16", "run.batchSize=2");
        using var job = new PretrainJob(config, await tiny.SourceAsync(config), dir.Path, CPU);
        var liveTensors = new SortedDictionary<long, long>();
        var nativeMb = new SortedDictionary<long, double>();
        var rssMb = new SortedDictionary<long, double>();
        // Tensors that earlier tests left to the finalizer would otherwise be counted, then vanish mid-run.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var outcome = await job.RunAsync(new SyncProgress(p =>
        {
            if (p.Step % 100 != 0) return;
            liveTensors[p.Step] = Tensor.TotalCount;
            nativeMb[p.Step] = NativeHeap.InUseBytes() / 1e6;
            rssMb[p.Step] = Process.GetCurrentProcess().WorkingSet64 / 1e6;
        }));

        Assert.Equal(Steps, outcome.Step);
        // Live tensors: the same count at every sample after warm-up (model, optimizer state, prefetched batches).
        var afterWarmup = liveTensors.Where(kv => kv.Key >= 200).Select(kv => kv.Value).ToArray();
        Assert.True(afterWarmup.Max() - afterWarmup.Min() <= 64,
                    $"live tensors drift: {string.Join(", ", liveTensors.Select(kv => $"{kv.Key}:{kv.Value}"))}");
        // Native bytes in use: a leak of one small activation per step would add over 100 MB between two windows of five
        // samples 1,000 steps apart. Single samples move by up to 30 MB with the allocator's arenas (window means by up to
        // 14 MB in otherwise flat runs), and the first checkpoint (step 500) keeps buffers of its own, so each window is a
        // mean, both after it, and the margin is 40 MB: well under what such a leak adds.
        string trace = string.Join(", ", nativeMb.Keys.Select(k => $"{k}:{nativeMb[k]:F0}MB (rss {rssMb[k]:F0}MB)"));
        double early = nativeMb.Where(kv => kv.Key is > Steps / 4 and <= Steps / 2).Average(kv => kv.Value);
        double late = nativeMb.Where(kv => kv.Key > 3 * Steps / 4).Average(kv => kv.Value);
        Assert.True(late <= early * 1.02 + 40, $"native memory in use keeps growing: {trace}");
        // Resident memory also moves with arena fragmentation and the managed heap: only a gross rise fails.
        Assert.True(rssMb[Steps] <= rssMb[Steps / 2] * 1.5, $"resident memory rose by half: {trace}");
    }
}
