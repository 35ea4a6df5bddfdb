using System.Diagnostics;
using Scrl.Core.Tests.Support;
using Scrl.Core.Training;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Training;

/// <summary>Long-run memory behaviour: thousands of steps must not grow live tensors or resident memory.</summary>
[Collection(ProcessWideStateCollection.Name)]
public class TrainingMemoryTests(TinyRun tiny) : IClassFixture<TinyRun>
{
    private const int Steps = 2000;

    [Fact]
    [Trait("Category", "Long")]
    public async Task TwoThousandSteps_KeepLiveTensorsAndRssFlat()
    {
        using var dir = new TempDirectory();
        var config = tiny.Config($"run.maxSteps={Steps}", "run.epochs=1000", "run.logEverySteps=100", "run.checkpointEverySteps=1000",
                                 "augment.inputSize=32", "boxes.inputSize=32", "boxes.minSize=16", "run.batchSize=2");
        using var job = new PretrainJob(config, await tiny.SourceAsync(config), dir.Path, CPU);
        var liveTensors = new SortedDictionary<long, long>();
        var rssMb = new SortedDictionary<long, double>();
        var outcome = await job.RunAsync(new SyncProgress(p =>
        {
            if (p.Step % 100 != 0) return;
            liveTensors[p.Step] = Tensor.TotalCount;
            rssMb[p.Step] = Process.GetCurrentProcess().WorkingSet64 / 1e6;
        }));

        Assert.Equal(Steps, outcome.Step);
        // Live tensors: the same count at every sample after warm-up (model, optimizer state, prefetched batches).
        var afterWarmup = liveTensors.Where(kv => kv.Key >= 200).Select(kv => kv.Value).ToArray();
        Assert.True(afterWarmup.Max() - afterWarmup.Min() <= 64,
                    $"live tensors drift: {string.Join(", ", liveTensors.Select(kv => $"{kv.Key}:{kv.Value}"))}");
        // RSS: the allocator warms up, then plateaus; the last half may not grow by more than 5 %.
        double middle = rssMb[Steps / 2], end = rssMb[Steps];
        Assert.True(end <= middle * 1.05 + 16,
                    $"RSS keeps growing: {string.Join(", ", rssMb.Select(kv => $"{kv.Key}:{kv.Value:F0}MB"))}");
    }
}
