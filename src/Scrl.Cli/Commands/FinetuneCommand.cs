using System.ComponentModel;
using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Datasets;
using Scrl.Core.Configuration;
using Scrl.Core.Models;
using Scrl.Core.Training.Checkpoints;
using Scrl.Core.Training.Metrics;
using Scrl.Detection.Training;
using Scrl.Cli.Supervision;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Scrl.Cli.Commands;

/// <summary><c>scrl finetune</c>: Faster R-CNN R50-FPN on COCO or VOC from a pretrained (or random) backbone.</summary>
public sealed class FinetuneCommand(IAnsiConsole console) : Command<FinetuneCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--task <TASK>")]
        [Description("coco-det or voc-det.")]
        [DefaultValue("coco-det")]
        public string Task { get; init; } = "coco-det";

        [CommandOption("--backbone <PATH>")]
        [Description("Backbone checkpoint (SCRL .ckpt, torchvision .pth) or 'random'.")]
        [DefaultValue("random")]
        public string Backbone { get; init; } = "random";

        [CommandOption("--train <PATH>")]
        [Description("COCO: annotations/instances_<split>.json (images in the folder <split> beside annotations/). VOC: VOCdevkit/VOC2007 folder.")]
        public string Train { get; init; } = "";

        [CommandOption("--train-split <SPLIT>")]
        [Description("VOC split (default trainval), or COCO image folder name (default: the <split> of instances_<split>.json).")]
        public string? TrainSplit { get; init; }

        [CommandOption("--schedule <NAME>")]
        [Description("1x, 0.5x or voc.")]
        public string? Schedule { get; init; }

        [CommandOption("--set <KEY=VALUE>")]
        [Description("Override a training option, e.g. maxSteps=200, baseLearningRate=0.01, trainMinSizes=[[480,512]] (repeatable).")]
        public string[] Overrides { get; init; } = [];

        [CommandOption("-o|--out <DIR>")]
        [DefaultValue("runs/finetune")]
        public string Output { get; init; } = "runs/finetune";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var task = settings.Task switch
        {
            "coco-det" => FinetuneTask.CocoDet,
            "voc-det" => FinetuneTask.VocDet,
            _ => throw new ArgumentException($"--task must be coco-det or voc-det, was '{settings.Task}'"),
        };
        var options = ConfigLoader.Override(FinetuneOptions.ForSchedule(settings.Schedule ?? (task == FinetuneTask.VocDet ? "voc" : "1x")),
                                            settings.Overrides, o => o.Validate(""));
        var dataset = task == FinetuneTask.VocDet
            ? VocDatasetReader.Read(settings.Train, settings.TrainSplit ?? "trainval")
            : CocoDatasetReader.Read(settings.Train, CocoImageFolder(settings.Train, settings.TrainSplit));
        var train = new DetectionDataset(dataset, training: true);
        console.MarkupLineInterpolated($"{train.Records.Count} training images, {train.SkippedImages} skipped (no non-crowd boxes), {train.NumClasses - 1} classes");

        bool pretrained = settings.Backbone != FinetuneModel.RandomBackbone;
        using var model = FinetuneModel.Create(train.NumClasses, FinetuneModel.VariantOf(settings.Backbone, ResNetVariant.ResNet50), pretrained, options);
        if (pretrained) FinetuneModel.LoadBackbone(model, settings.Backbone);

        var trainer = new DetectionTrainer(model, train, options);
        Directory.CreateDirectory(settings.Output);
        var store = new CheckpointStore(Path.Combine(settings.Output, "checkpoints"), keep: 3);
        long start = 0;
        using (var latest = store.LoadLatest())
            if (latest is not null) start = trainer.Restore(latest);
        using var metrics = new CompositeMetricSink([
            new JsonlMetricSink(Path.Combine(settings.Output, "metrics.jsonl"), resumeStep: start),
            new TensorBoardEventSink(Path.Combine(settings.Output, "tb"), purgeStep: start)]);
        var progress = new SyncProgress<DetectionStepResult>(r =>
        {
            console.MarkupLineInterpolated($"step {r.Step + 1}/{options.MaxSteps} loss {r.Losses["loss"]:F4} lr {r.LearningRate:G3} {r.Seconds:F2}s");
            Breadcrumb.Leave($"fine-tuning into {settings.Output}, step {r.Step + 1} of {options.MaxSteps}");
        });
        if (start >= options.MaxSteps) console.MarkupLineInterpolated($"{settings.Output} already holds all {options.MaxSteps} steps");
        trainer.Run(start, store, metrics, progress, cancellationToken);
        string checkpoint = Path.Combine(store.Directory, CheckpointStore.NameOf(options.MaxSteps) + ".ckpt");
        console.MarkupLineInterpolated($"[green]done[/] at step {options.MaxSteps}; score it with scrl evaluate --model <checkpoint> --val <dataset root>");
        console.WriteCopyable($"checkpoint  {Path.GetFullPath(checkpoint)}");
        console.WriteCopyable($"metrics     {Path.GetFullPath(Path.Combine(settings.Output, "metrics.jsonl"))}");
        return 0;
    }

    // --train-split names a folder beside annotations/; without it, the folder the file's name gives (instances_train2017.json: train2017).
    private static string CocoImageFolder(string annotationFile, string? split)
    {
        string folder = split is null
            ? CocoLayout.ImageFolderOf(annotationFile)
              ?? throw new ArgumentException($"Cannot tell the image folder of '{annotationFile}' from its name; pass --train-split <folder name>.")
            : Path.Combine(CocoLayout.RootOf(annotationFile)!, split);
        return Directory.Exists(folder)
            ? folder
            : throw new DirectoryNotFoundException($"COCO image folder '{folder}' does not exist (--train-split names a folder beside annotations/).");
    }
}
