using System.ComponentModel;
using System.Diagnostics;
using Scrl.Core;
using Scrl.Core.Configuration;
using Scrl.Core.Data;
using Scrl.Core.Data.Loading;
using Scrl.Core.Training;
using Scrl.Cli.Supervision;
using Spectre.Console;
using Spectre.Console.Cli;
using static TorchSharp.torch;

namespace Scrl.Cli.Commands;

/// <summary>
/// Times full SCRL steps (forward, backward, LARS, EMA) with a breakdown, on a fixed synthetic batch (compute only)
/// and on real JPEGs through the background loader (decode + augment + boxes overlapped with compute).
/// </summary>
public sealed class BenchPretrainCommand : AsyncCommand<BenchPretrainCommand.Settings>
{
    private const string TotalPhase = "step";

    // Process CPU seconds (user + system) per step: on a machine shared with other work, wall time measures the
    // neighbours too, CPU time mostly does not (page faults of fresh mappings count as system time).
    private const string CpuPhase = "step-cpu";

    public sealed class Settings : CommandSettings
    {
        [CommandOption("--arch <ARCH>")]
        [Description("ResNet18|ResNet34|ResNet50|ResNet101; with --size and --batch. Default: ResNet50/224/16 and ResNet18/96/32.")]
        public string? Arch { get; init; }

        [CommandOption("--size <PX>")] public int? Size { get; init; }
        [CommandOption("--batch <N>")] public int? Batch { get; init; }

        [CommandOption("--method <METHOD>")]
        [Description("Scrl|Byol|ScrlContrastive|InputConsistency: times that method's 200-epoch preset.")]
        [DefaultValue(PretrainMethod.Scrl)]
        public PretrainMethod Method { get; init; } = PretrainMethod.Scrl;

        [CommandOption("--steps <N>")]
        [DefaultValue(5)]
        public int Steps { get; init; } = 5;

        [CommandOption("--warmup <N>")]
        [DefaultValue(2)]
        public int Warmup { get; init; } = 2;

        [CommandOption("--data <MODE>")]
        [Description("synthetic, jpeg or both.")]
        [DefaultValue("both")]
        public string Data { get; init; } = "both";

        [CommandOption("-d|--device <DEVICE>")]
        [DefaultValue("cpu")]
        public string Device { get; init; } = "cpu";

        [CommandOption("--set <KEY=VALUE>")]
        [Description("Override a config key of every case, e.g. --set network.channelsLast=false (repeatable).")]
        public string[] Overrides { get; init; } = [];

        public override ValidationResult Validate() =>
            Data is not ("synthetic" or "jpeg" or "both") ? ValidationResult.Error($"--data must be synthetic, jpeg or both, was '{Data}'")
            : Steps < 1 || Warmup < 0 ? ValidationResult.Error("--steps must be >= 1 and --warmup >= 0")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var device = Devices.Parse(settings.Device);
        var cases = settings.Arch is null
            ? new[] { ("ResNet50", 224, 16), ("ResNet18", 96, 32) }
            : [(settings.Arch, settings.Size ?? 224, settings.Batch ?? 16)];
        AnsiConsole.MarkupLineInterpolated($"torch threads {get_num_threads()}, device {device}; medians over {settings.Steps} steps after {settings.Warmup} warm-up steps");
        foreach (var (arch, size, batch) in cases)
        {
            var config = ConfigLoader.Load(PresetOf(settings.Method), [$"network.backbone={arch}", $"augment.inputSize={size}", $"boxes.inputSize={size}",
                                                          $"run.batchSize={batch}", .. settings.Overrides]);
            if (settings.Data is "synthetic" or "both")
                Report(config.Method, arch, size, batch, "synthetic", settings.Overrides, BenchSynthetic(config, device, settings));
            if (settings.Data is "jpeg" or "both")
                Report(config.Method, arch, size, batch, "jpeg", settings.Overrides, await BenchJpeg(config, device, settings, cancellationToken));
        }
        return 0;
    }

    /// <summary>One JSON line per case, in the shape bench/pytorch_scrl_step.py prints, so the two can be compared by script.</summary>
    private static string PresetOf(PretrainMethod method) => method switch
    {
        PretrainMethod.Scrl => "scrl_200ep",
        PretrainMethod.Byol => "byol_200ep",
        PretrainMethod.ScrlContrastive => "scrl_contrastive_200ep",
        PretrainMethod.InputConsistency => "input_consistency_200ep",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown method"),
    };

    private static void Report(PretrainMethod method, string arch, int size, int batch, string data, string[] overrides, PhaseTimer timer)
    {
        var medians = timer.Medians();
        double step = medians[TotalPhase];
        var record = new Dictionary<string, object>
        {
            ["framework"] = "scrl.cloud (TorchSharp)", ["method"] = method.ToString(), ["arch"] = arch, ["size"] = size, ["batch"] = batch, ["data"] = data,
            ["overrides"] = overrides,
            ["median_step_s"] = Math.Round(step, 4), ["median_step_cpu_s"] = Math.Round(medians[CpuPhase], 4),
            ["pairs_per_s"] = Math.Round(batch / step, 3),
            ["peak_rss_mb"] = PeakMemory.ResidentMegabytes(),
            ["breakdown_s"] = medians.Where(kv => kv.Key is not (TotalPhase or CpuPhase)).ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 4)),
        };
        Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(record));
    }

    /// <summary>One batch built by the real augmentation and box generator, reused every step: compute only.</summary>
    internal static PhaseTimer BenchSynthetic(PretrainConfig config, Device device, Settings settings)
    {
        var generator = new Generator(seed: 0);
        var images = Enumerable.Range(0, config.Run.BatchSize)
            .Select(_ => randint(0, 256, [3, 375, 500], ScalarType.Byte, generator: generator)).ToArray();   // [3, H, W] each
        using var source = new ImageBatch(images, Enumerable.Range(0, images.Length).Select(i => (long)i).ToArray(), null, LoaderPosition.Start);
        using var batch = TwoViewBatchBuilder.ForConfig(config).Build(source);
        using var trainer = new ScrlTrainer(config, stepsPerEpoch: 1000, device);
        var timer = new PhaseTimer(device);
        for (int i = 0; i < settings.Warmup + settings.Steps; i++)
        {
            var t = i < settings.Warmup ? new PhaseTimer(device) : timer;
            Breadcrumb.Leave($"benchmarking {Describe(config)} on synthetic tensors, step {i + 1} of {settings.Warmup + settings.Steps}", now: true);
            var cpu = ProcessorTime();
            var clock = Stopwatch.StartNew();
            t.Restart();
            trainer.Step(batch, i, t);
            t.Add(TotalPhase, clock.Elapsed.TotalSeconds);
            t.Add(CpuPhase, ProcessorTime() - cpu);
        }
        return timer;
    }

    private static string Describe(PretrainConfig config) =>
        $"{config.Method} {config.Network.Backbone} {config.Augment.InputSize} px batch {config.Run.BatchSize}";

    /// <summary>The generated JPEG dataset through the background loader, as training reads it.</summary>
    private static async Task<PhaseTimer> BenchJpeg(PretrainConfig config, Device device, Settings settings, CancellationToken ct)
    {
        var root = DemoData.EnsureGenerated(ct);
        var source = await PretrainDataSource.OpenAsync(new DataOptions { Source = root, Format = DataFormat.Coco }, ct);
        var loader = PretrainDataLoader.Create(source, new PretrainDataLoaderOptions
        {
            BatchSize = config.Run.BatchSize, Seed = 0, PrefetchBatches = config.Data.PrefetchBatches, DecodeWorkers = config.Data.DecodeWorkers,
        }, TwoViewBatchBuilder.ForConfig(config).Build);
        using var trainer = new ScrlTrainer(config, loader.BatchesPerEpoch, device);
        var timer = new PhaseTimer(device);
        int step = 0;
        var clock = Stopwatch.StartNew();
        var cpu = ProcessorTime();
        var t = new PhaseTimer(device);
        await foreach (var batch in loader.ReadAsync(LoaderPosition.Start, endEpoch: 1000, ct))
        {
            using (batch)
            {
                t.Mark("data");
                Breadcrumb.Leave($"benchmarking {Describe(config)} on JPEGs, step {step + 1} of {settings.Warmup + settings.Steps}", now: true);
                if (batch.Rois is not null) trainer.Step(batch, step, t);
            }
            t.Add(TotalPhase, clock.Elapsed.TotalSeconds);
            t.Add(CpuPhase, ProcessorTime() - cpu);
            clock.Restart();
            cpu = ProcessorTime();
            if (++step == settings.Warmup) t = timer;
            if (step == settings.Warmup + settings.Steps) break;
            t.Restart();
        }
        return timer;
    }

    private static double ProcessorTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }
}
