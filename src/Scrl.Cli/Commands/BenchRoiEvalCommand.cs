using System.ComponentModel;
using Scrl.Core;
using Scrl.Core.Evaluation;
using Scrl.Core.Models;
using Scrl.Core.Training;
using Spectre.Console;
using Spectre.Console.Cli;
using TorchSharp;
using static TorchSharp.torch;

namespace Scrl.Cli.Commands;

/// <summary>
/// RoIs per second of the RoI linear protocol's two phases on random tensors: C5 feature extraction (backbone
/// forward + RoIAlign) and head training on cached features, for each architecture and image size asked for.
/// Each figure is the median of the timed repeats, after one untimed warm-up.
/// </summary>
public sealed class BenchRoiEvalCommand(IAnsiConsole console) : Command<BenchRoiEvalCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--arch <ARCH>")]
        [Description("Architectures to time (repeatable).")]
        public ResNetVariant[] Architectures { get; init; } = [ResNetVariant.ResNet18, ResNetVariant.ResNet50];

        [CommandOption("--size <PX>")]
        [Description("Square image sizes to time (repeatable).")]
        public int[] Sizes { get; init; } = [224, 640];

        [CommandOption("--images <N>")]
        [Description("Images per extraction batch.")]
        [DefaultValue(4)]
        public int Images { get; init; } = 4;

        [CommandOption("--rois-per-image <N>")]
        [DefaultValue(8)]
        public int RoisPerImage { get; init; } = 8;

        [CommandOption("--repeats <N>")]
        [Description("Timed batches (and head epochs) after one warm-up; medians are reported.")]
        [DefaultValue(3)]
        public int Repeats { get; init; } = 3;

        [CommandOption("-d|--device <DEVICE>")]
        [DefaultValue("cpu")]
        public string Device { get; init; } = "cpu";

        public override ValidationResult Validate() =>
            Images >= 1 && RoisPerImage >= 1 && Repeats >= 1 && Sizes.All(size => size >= 32)
                ? ValidationResult.Success()
                : ValidationResult.Error("--images, --rois-per-image and --repeats must be >= 1, and every --size >= 32");
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var device = Devices.Parse(settings.Device);
        var table = new Table().Title($"RoI eval throughput ({device}, {get_num_threads()} threads; medians of {settings.Repeats})")
            .AddColumns("arch", "size", "extract images/s", "extract RoIs/s", "head-train RoIs/s", "peak RSS MiB");
        foreach (var arch in settings.Architectures)
        {
            using var backbone = EvalBackbone.Load(EvalBackbone.RandomSpec, arch, seed: 0, device);
            backbone.Module.eval();
            foreach (int size in settings.Sizes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var options = new RoiEvalOptions { ImageSize = size };
                double batch = ExtractSeconds(new RoiFeatureExtractor(backbone.Module, options), settings, size, device);
                double head = HeadRate(backbone.Module.OutputChannels, options, settings.Repeats, device);
                table.AddRow(arch.ToString(), size.ToString(), (settings.Images / batch).ToString("F1"),
                             (settings.Images * settings.RoisPerImage / batch).ToString("F1"), head.ToString("F0"), PeakMemory.ResidentMegabytes().ToString("F0"));
            }
        }
        console.Write(table);
        return 0;
    }

    // Median seconds per extraction batch; the extractor moves the batch to its backbone's device.
    private static double ExtractSeconds(RoiFeatureExtractor extractor, Settings settings, int size, Device device)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(0);
        var images = randn([settings.Images, 3, size, size], generator: generator);                   // [N, 3, S, S]
        var corners = rand([settings.Images * settings.RoisPerImage, 2, 2], generator: generator) * size;   // [R, 2 points, xy]
        var lo = corners.amin(1);                                                                     // [R, 2]
        var hi = corners.amax(1) + 1;
        var batchIndex = arange(settings.Images).repeat_interleave(settings.RoisPerImage).unsqueeze(1).to(ScalarType.Float32);
        var rois = cat([batchIndex, lo, hi], 1);                                                      // [R, 5]
        return MedianSeconds(settings.Repeats, device, () =>
        {
            using var step = NewDisposeScope();
            extractor.Extract(images, rois);
        });
    }

    // RoIs per second of head training: the median epoch over cached features.
    private static double HeadRate(long featureSize, RoiEvalOptions options, int repeats, Device device)
    {
        const int rois = 4096, classes = 80;
        using var scope = NewDisposeScope();
        var generator = new Generator(0);
        using var features = new RoiFeatureSet(randn([rois, featureSize], generator: generator),
                                               randint(classes, [rois], generator: generator), zeros(rois, ScalarType.Int64));
        using var head = new RoiLinearHead(featureSize, classes);
        head.to(device);
        var oneEpoch = options with { Epochs = 1 };
        return rois / MedianSeconds(repeats, device, () =>
        {
            using var trainer = new RoiHeadTrainer(head, oneEpoch, RoiHeadTrainer.StepsFor(rois, oneEpoch));
            trainer.TrainOnFeatures(features);
        });
    }

    // One untimed warm-up run, then the median of `repeats` timed ones (waiting for the device at both ends).
    private static double MedianSeconds(int repeats, Device device, Action run)
    {
        run();
        var timer = new PhaseTimer(device);
        for (int i = 0; i < repeats; i++)
            using (timer.Measure(nameof(run))) run();
        return timer.Medians()[nameof(run)];
    }
}
