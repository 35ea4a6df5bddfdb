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

        [CommandOption("--seed <SEED>")]
        [DefaultValue(0L)]
        public long Seed { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var options = new SyntheticDatasetOptions { TrainImages = settings.Train, ValImages = settings.Val, Seed = settings.Seed };
        var root = settings.Output ?? DemoData.DefaultRoot;
        if (Directory.Exists(root))
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{root} already exists[/]; choose another --out");
            return 2;
        }
        DemoData.EnsureGenerated(cancellationToken, root, options);
        AnsiConsole.MarkupLineInterpolated($"wrote {settings.Train} train and {settings.Val} val synthetic images to {root}");
        return 0;
    }
}
