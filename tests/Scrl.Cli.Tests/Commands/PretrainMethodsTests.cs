using System.Text.Json;
using Scrl.Cli.Tests.Support;
using Scrl.Core.Tests.Support;
using static TorchSharp.torch;

namespace Scrl.Cli.Tests.Commands;

/// <summary>The paper's variants (appendix I and J) train through <c>scrl pretrain -c preset</c>: the loss falls over a
/// few dozen steps and live tensors and native memory stay flat.</summary>
[Collection(PretrainMemoryCollection.Name)]
public sealed class PretrainMethodsTests(GeneratedCoco coco) : IClassFixture<GeneratedCoco>
{
    private const int Steps = 36;

    [Theory]
    [InlineData("scrl_contrastive_200ep", "ScrlContrastive")]
    [InlineData("input_consistency_200ep", "InputConsistency")]
    public async Task Pretrain_Preset_LossFalls_AndMemoryStaysFlat(string preset, string method)
    {
        string runDir = coco.NewFolder();
        // The preset's method and recipe at a size for the CPU; lr 0.25 with trust 0.02 so LARS moves weights in 36 steps.
        string[] args = ["pretrain", "-c", preset, "-o", runDir, "--set", $"data.source={coco.Root}", "--set", "data.format=Coco",
                         "--set", "network.backbone=ResNet18", "--set", "network.hiddenSize=64", "--set", "network.projectionSize=32",
                         "--set", "augment.inputSize=64", "--set", "boxes.inputSize=64", "--set", "run.batchSize=4",
                         "--set", "run.epochs=20", "--set", "optim.warmupEpochs=1", "--set", $"run.maxSteps={Steps}",
                         "--set", "optim.baseLearningRate=16", "--set", "optim.lars.trustCoefficient=0.02",
                         "--set", "run.logEverySteps=1", "--set", "run.checkpointEverySteps=1000", "--set", "data.decodeWorkers=1"];
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var (exit, output) = CliRunner.Start(args, 240, CancellationToken.None);
        string metrics = Path.Combine(runDir, "metrics.jsonl");
        var liveTensors = new SortedDictionary<int, long>();
        var nativeMb = new SortedDictionary<int, double>();
        while (!exit.IsCompleted)
        {
            int step = LoggedSteps(metrics);
            liveTensors[step] = Math.Max(liveTensors.GetValueOrDefault(step), Tensor.TotalCount);
            nativeMb[step] = Math.Max(nativeMb.GetValueOrDefault(step), NativeHeap.InUseBytes() / 1e6);
            await Task.WhenAny(exit, Task.Delay(20));
        }
        Assert.True(await exit == 0, output.ToString());
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(runDir, "config.json"))))
            Assert.Equal(method, config.RootElement.GetProperty("method").GetString());

        var losses = File.ReadAllLines(metrics)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("scalars").GetProperty("loss").GetDouble()).ToArray();
        Assert.Equal(Steps, losses.Length);
        string lossTrace = string.Join(", ", losses.Select(l => l.ToString("F3")));
        Assert.True(losses.TakeLast(8).Average() < losses.Take(8).Average() * 0.9, $"{method} loss does not fall: {lossTrace}");

        // After warm-up (the first checkpoint-free steps fill the prefetch queue), the second half holds no more than
        // the first: a leak of one tensor a step would add 13.
        var early = liveTensors.Where(kv => kv.Key is >= 6 and < 20).Select(kv => kv.Value).ToArray();
        var late = liveTensors.Where(kv => kv.Key is >= 22 and < Steps).Select(kv => kv.Value).ToArray();
        string tensorTrace = string.Join(", ", liveTensors.Select(kv => $"{kv.Key}:{kv.Value}"));
        Assert.True(early.Length > 3 && late.Length > 3, $"too few samples: {tensorTrace}");
        Assert.True(late.Max() <= early.Max() + 8, $"live tensors grow: {tensorTrace}");
        double nativeEarly = nativeMb.Where(kv => kv.Key is >= 6 and < 20).Average(kv => kv.Value);
        double nativeLate = nativeMb.Where(kv => kv.Key is >= 22 and < Steps).Average(kv => kv.Value);
        Assert.True(nativeLate <= nativeEarly * 1.05 + 20,
                    $"native memory grows: {string.Join(", ", nativeMb.Select(kv => $"{kv.Key}:{kv.Value:F0}MB"))}");
    }

    private static int LoggedSteps(string metrics)
    {
        if (!File.Exists(metrics)) return 0;
        using var stream = new FileStream(metrics, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        int lines = 0;
        while (reader.ReadLine() is { Length: > 0 }) lines++;
        return lines;
    }
}

/// <summary>Tests that count the process's live tensors and native memory: run with no other test beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PretrainMemoryCollection
{
    public const string Name = "Pretrain memory";
}
