using System.ComponentModel;
using System.Diagnostics;
using Scrl.Core;
using Scrl.Core.Evaluation;
using Scrl.Core.Models;
using Spectre.Console;
using Spectre.Console.Cli;
using TorchSharp;
using static TorchSharp.torch;

namespace Scrl.Cli.Commands;

/// <summary>
/// RoIs per second of the RoI linear protocol's two phases on random tensors: C5 feature extraction (backbone
/// forward + RoIAlign) and head training on cached features, for each architecture and image size asked for.
/// </summary>
public sealed class BenchRoiEvalCommand : Command<BenchRoiEvalCommand.Settings>
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
        [Description("Timed batches after one warm-up batch.")]
        [DefaultValue(2)]
        public int Repeats { get; init; } = 2;

        [CommandOption("-d|--device <DEVICE>")]
        [DefaultValue("cpu")]
        public string Device { get; init; } = "cpu";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var device = Devices.Parse(settings.Device);
        var table = new Table().Title($"RoI eval throughput ({device}, {get_num_threads()} threads)")
            .AddColumns("arch", "size", "extract RoIs/s", "head-train RoIs/s");
        foreach (var arch in settings.Architectures)
        {
            using var backbone = EvalBackbone.Load(EvalBackbone.RandomSpec, arch, seed: 0, device);
            backbone.Module.eval();
            foreach (int size in settings.Sizes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var options = new RoiEvalOptions { ImageSize = size };
                double extract = ExtractRate(new RoiFeatureExtractor(backbone.Module, options), settings, size, device);
                double head = HeadRate(backbone.Module.OutputChannels, options, device);
                table.AddRow(arch.ToString(), size.ToString(), extract.ToString("F1"), head.ToString("F0"));
            }
        }
        AnsiConsole.Write(table);
        return 0;
    }

    private static double ExtractRate(RoiFeatureExtractor extractor, Settings settings, int size, Device device)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(0);
        var images = randn([settings.Images, 3, size, size], generator: generator);                   // [N, 3, S, S]
        var corners = rand([settings.Images * settings.RoisPerImage, 2, 2], generator: generator) * size;   // [R, 2 points, xy]
        var lo = corners.amin(1);                                                                     // [R, 2]
        var hi = corners.amax(1) + 1;
        var batchIndex = arange(settings.Images).repeat_interleave(settings.RoisPerImage).unsqueeze(1).to(ScalarType.Float32);
        var rois = cat([batchIndex, lo, hi], 1);                                                      // [R, 5]
        double seconds = 0;
        for (int i = 0; i <= settings.Repeats; i++)
        {
            using var step = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            extractor.Extract(images, rois).cpu();
            if (i > 0) seconds += clock.Elapsed.TotalSeconds;                                         // batch 0 warms up
        }
        return rois.shape[0] * settings.Repeats / seconds;
    }

    private static double HeadRate(long featureSize, RoiEvalOptions options, Device device)
    {
        const int rois = 4096, classes = 80;
        using var scope = NewDisposeScope();
        var generator = new Generator(0);
        using var features = new RoiFeatureSet(randn([rois, featureSize], generator: generator),
                                               randint(classes, [rois], generator: generator), zeros(rois, ScalarType.Int64));
        using var head = new RoiLinearHead(featureSize, classes);
        head.to(device);
        var oneEpoch = options with { Epochs = 1 };
        using var trainer = new RoiHeadTrainer(head, oneEpoch, RoiHeadTrainer.StepsFor(rois, oneEpoch));
        var clock = Stopwatch.StartNew();
        trainer.TrainOnFeatures(features);
        return rois / clock.Elapsed.TotalSeconds;
    }
}
