using System.ComponentModel;
using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Datasets;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Scrl.Cli.Commands;

/// <summary>
/// <c>scrl data crops --source &lt;coco root&gt; -o DIR</c>: every non-crowd box of the train and val splits cropped
/// into <c>DIR/train/{category}/</c> and <c>DIR/val/{category}/</c>, labelled ImageFolders for <c>scrl linear-eval</c>.
/// </summary>
public sealed class CropDataCommand(IAnsiConsole console) : Command<CropDataCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--source <DIR>")]
        [Description("A COCO root (annotations/instances_{train,val}2017.json + images); default: the generated shapes dataset.")]
        public string? Source { get; init; }

        [CommandOption("-o|--out <DIR>")]
        [Description("Output root (train/ and val/ ImageFolders). Must not exist.")]
        [DefaultValue("data/generated/crops")]
        public string Output { get; init; } = Path.Combine("data", "generated", "crops");

        [CommandOption("--min-side <PX>")]
        [Description("Skip boxes narrower or lower than this.")]
        [DefaultValue(8)]
        public int MinSide { get; init; } = 8;
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (Directory.Exists(settings.Output)) throw new ArgumentException($"{settings.Output} already exists; choose another --out");
        string source = settings.Source ?? DemoData.EnsureGenerated(cancellationToken);
        foreach (string split in new[] { CocoLayout.Train, CocoLayout.Val })
        {
            var dataset = DatasetReaders.Read(DatasetFormat.Coco, source, split);
            var counts = console.Progress().AutoClear(true).Start(ctx =>
            {
                var task = ctx.AddTask($"cropping {split} boxes", maxValue: Math.Max(1, dataset.Records.Count));
                return ObjectCropWriter.Write(dataset, Path.Combine(settings.Output, split), settings.MinSide,
                                              new SyncProgress<int>(n => task.Value = n), cancellationToken);
            });
            console.MarkupLineInterpolated($"{split}: {counts.Values.Sum()} crops in {counts.Count(c => c.Value > 0)} classes under {Path.Combine(settings.Output, split)}");
        }
        return 0;
    }
}
