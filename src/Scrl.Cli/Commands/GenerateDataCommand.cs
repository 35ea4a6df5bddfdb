using System.ComponentModel;
using Scrl.Core.Data.Synthetic;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Scrl.Cli.Commands;

public sealed class GenerateDataCommand : Command<GenerateDataCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("-o|--out <DIR>")]
        [Description("Output root (COCO layout). Must not exist.")]
        public string? Output { get; init; }

        [CommandOption("--train <N>")]
        [DefaultValue(160)]
        public int Train { get; init; } = 160;

        [CommandOption("--val <N>")]
        [DefaultValue(40)]
        public int Val { get; init; } = 40;

        [CommandOption("--kind <KIND>")]
        [Description("shapes: eight categories of shapes with masks (instances json). figures: stick figures with COCO's 17 person " +
                     "keypoints and masks (person_keypoints and instances json), for keypoint and mask tasks.")]
        [DefaultValue("shapes")]
        public string Kind { get; init; } = "shapes";

        [CommandOption("--seed <SEED>")]
        [DefaultValue(0L)]
        public long Seed { get; init; }
    }

    public override ValidationResult Validate(CommandContext context, Settings settings) =>
        settings.Kind is "shapes" or "figures" ? ValidationResult.Success() : ValidationResult.Error("--kind must be shapes or figures");

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        bool figures = settings.Kind == "figures";
        var options = new SyntheticDatasetOptions
        {
            TrainImages = settings.Train, ValImages = settings.Val, Seed = settings.Seed,
            MaxShapesPerImage = figures ? 3 : new SyntheticDatasetOptions().MaxShapesPerImage,   // a few large people, not a crowd
        };
        var root = settings.Output ?? (figures ? DemoData.FiguresRoot : DemoData.DefaultRoot);
        if (Directory.Exists(root))
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{root} already exists[/]; choose another --out");
            return 2;
        }
        if (figures) DemoData.EnsureFigures(cancellationToken, root, options);
        else DemoData.EnsureGenerated(cancellationToken, root, options);
        AnsiConsole.MarkupLineInterpolated($"wrote {settings.Train} train and {settings.Val} val synthetic {settings.Kind} images to {root}");
        return 0;
    }
}
