using System.ComponentModel;
using Scrl.Core.Configuration;
using Scrl.Core.Evaluation;
using Scrl.Core.Models;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Scrl.Cli.Commands;

/// <summary>
/// <c>scrl linear-eval --backbone X --train T --val V</c>: the standard image-level linear protocol, one linear layer on
/// the frozen backbone's globally average-pooled C5 features of a labelled ImageFolder. For a run folder the report goes
/// into the run (<c>{run}/linear-eval/linear-eval.json</c>), where <c>scrl analyze correlation</c> finds it.
/// </summary>
public sealed class LinearEvalCommand(IAnsiConsole console) : Command<LinearEvalCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("-b|--backbone <PATH|random>")]
        [Description("A run folder, our .ckpt, an official SCRL checkpoint, a torchvision .pth, or 'random' (the default).")]
        public string Backbone { get; init; } = EvalBackbone.RandomSpec;

        [CommandOption("--train <DIR>")]
        [Description("Labelled train ImageFolder: one subfolder per class (scrl data crops makes one from a COCO dataset).")]
        public string Train { get; init; } = "";

        [CommandOption("--val <DIR>")]
        [Description("Labelled val ImageFolder with the train folder's classes (or some of them).")]
        public string Val { get; init; } = "";

        [CommandOption("-o|--out <DIR>")]
        [Description("Where linear-eval.json and linear-eval-by-size.png go (default: {run folder}/linear-eval for a run folder, else runs/linear-eval).")]
        public string? Output { get; init; }

        [CommandOption("--arch <ARCH>")]
        [Description("ResNet18|ResNet34|ResNet50|ResNet101. Checkpoints give their own; this picks the 'random' one (default ResNet50).")]
        public ResNetVariant? Architecture { get; init; }

        [CommandOption("--set <KEY=VALUE>")]
        [Description("Override a protocol option, e.g. --set epochs=30 --set imageSize=128 (repeatable; the RoI protocol's keys, docs/roi-eval.md).")]
        public string[] Overrides { get; init; } = [];

        [CommandOption("--cache <DIR>")]
        [Description("Folder for cached features; later runs on the same backbone and folders reuse them.")]
        public string? CacheDirectory { get; init; }

        [CommandOption("-d|--device <DEVICE>")]
        [Description("cpu or cuda[[:n]].")]
        [DefaultValue("cpu")]
        public string Device { get; init; } = "cpu";

        public override ValidationResult Validate() =>
            Train.Length == 0 || Val.Length == 0 ? ValidationResult.Error("--train and --val are required") : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var options = ConfigLoader.Override(new RoiEvalOptions { Variant = RoiEvalVariant.Image, CacheDirectory = settings.CacheDirectory ?? "" },
                                            settings.Overrides, o => o.Validate(""));
        if (options.Variant != RoiEvalVariant.Image)
            throw new ConfigException([new("variant", "linear-eval is the Image variant; use scrl roi-eval for C5 and FPN")]);
        var data = ImageFolderEvalData.Load(settings.Train, settings.Val, options);
        console.MarkupLineInterpolated($"{data.Categories.Count} classes; {data.Train.Images.Count} train images, {data.Val.Images.Count} val images");
        var runner = new RoiEvalRunner(options, settings.Architecture, settings.Device, console);
        var report = runner.Evaluate(settings.Backbone, data, cancellationToken);
        string folder = settings.Output ?? (Directory.Exists(settings.Backbone)
            ? Path.Combine(settings.Backbone, "linear-eval")
            : Path.Combine("runs", "linear-eval"));
        var (json, chart) = RoiEvalReportWriter.Write(report, folder);

        var s = report.Scores;
        console.MarkupLineInterpolated($"[bold]{report.Backbone}[/] ({report.Architecture}, image linear): top-1 [green]{s.Top1:P2}[/], mean per-class {s.MeanPerClassAccuracy:P2}");
        console.MarkupLineInterpolated($"extract {report.ExtractSeconds:F1} s{(report.TrainFeaturesFromCache ? " (train features cached)" : "")}, head {report.HeadSeconds:F1} s; report {json}, chart {chart}");
        return 0;
    }
}
