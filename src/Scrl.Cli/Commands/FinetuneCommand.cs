using System.ComponentModel;
using System.Globalization;
using Scrl.Core.Data.Datasets;
using Scrl.Core.Interop;
using Scrl.Core.Training.Checkpoints;
using Scrl.Core.Training.Metrics;
using Scrl.Detection;
using Scrl.Detection.Backbones;
using Scrl.Detection.Training;
using Scrl.Detection.Transform;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Scrl.Cli.Commands;

/// <summary><c>scrl finetune</c>: Faster R-CNN R50-FPN on COCO or VOC from a pretrained (or random) backbone.</summary>
public sealed class FinetuneCommand : Command<FinetuneCommand.Settings>
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
        [Description("COCO: instances json (images beside it in ../<split>2017). VOC: VOCdevkit/VOC2007 folder.")]
        public string Train { get; init; } = "";

        [CommandOption("--train-split <SPLIT>")]
        [Description("VOC split or COCO image folder name.")]
        [DefaultValue("trainval")]
        public string TrainSplit { get; init; } = "trainval";

        [CommandOption("--schedule <NAME>")]
        [Description("1x, 0.5x or voc.")]
        public string? Schedule { get; init; }

        [CommandOption("--set <KEY=VALUE>")]
        [Description("Override: maxSteps, baseLearningRate, imagesPerStep, imagesPerDevice, checkpointPeriod, seed, warmupSteps.")]
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
        var options = ApplyOverrides(FinetuneOptions.ForSchedule(settings.Schedule ?? (task == FinetuneTask.VocDet ? "voc" : "1x")), settings.Overrides);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            foreach (var e in errors) AnsiConsole.MarkupLineInterpolated($"[red]{e.Path}[/]: {e.Message}");
            return 2;
        }
        var dataset = task == FinetuneTask.VocDet
            ? VocDatasetReader.Read(settings.Train, settings.TrainSplit)
            : CocoDatasetReader.Read(settings.Train, Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(settings.Train)))!, settings.TrainSplit));
        var train = new DetectionDataset(dataset, training: true);
        AnsiConsole.MarkupLineInterpolated($"{train.Records.Count} training images, {train.SkippedImages} skipped (no non-crowd boxes), {train.NumClasses - 1} classes");

        using var model = FasterRcnn.FromOptions(new FasterRcnnOptions
        {
            NumClasses = train.NumClasses,
            Backbone = new BackboneOptions { Norm = settings.Backbone == "random" ? BackboneNorm.BatchNorm : BackboneNorm.FrozenBatchNorm },
            Transform = new TransformOptions { MinSize = options.TrainMinSizes, MaxSize = options.MaxSize },
        });
        if (settings.Backbone != "random") LoadBackbone(model, settings.Backbone);

        var trainer = new DetectionTrainer(model, train, options);
        var store = new CheckpointStore(Path.Combine(settings.Output, "checkpoints"), keep: 3);
        long start = 0;
        using (var latest = store.LoadLatest())
            if (latest is not null) start = trainer.Restore(latest);
        using var metrics = new CompositeMetricSink([
            new JsonlMetricSink(Path.Combine(settings.Output, "metrics.jsonl"), resumeStep: start),
            new TensorBoardEventSink(Path.Combine(settings.Output, "tb"), purgeStep: start)]);
        var progress = new Progress<DetectionStepResult>(r => AnsiConsole.MarkupLineInterpolated(
            $"step {r.Step + 1}/{options.MaxSteps} loss {r.Losses["loss"]:F4} lr {r.LearningRate:G3} {r.Seconds:F2}s"));
        trainer.Run(start, store, metrics, progress, cancellationToken);
        return 0;
    }

    /// <summary>Loads body weights strictly; FrozenBatchNorm has no num_batches_tracked, so those keys are dropped first.</summary>
    private static void LoadBackbone(FasterRcnn model, string path)
    {
        var weights = CheckpointImport.LoadBackbone(path);
        var bodyKeys = model.Backbone.Body.state_dict().Keys.ToHashSet();
        var usable = weights.Where(kv => bodyKeys.Contains(kv.Key) || !kv.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal)).ToDictionary();
        BackboneLoad.Into(model.Backbone.Body, usable);   // throws CheckpointMismatchException listing every missing/unexpected key
        foreach (var t in weights.Values) t.Dispose();
    }

    private static FinetuneOptions ApplyOverrides(FinetuneOptions options, IEnumerable<string> overrides)
    {
        foreach (var item in overrides)
        {
            var parts = item.Split('=', 2);
            if (parts.Length != 2) throw new ArgumentException($"--set expects key=value, got '{item}'");
            var (key, value) = (parts[0], parts[1]);
            var c = CultureInfo.InvariantCulture;
            options = key switch
            {
                "maxSteps" => options with { MaxSteps = long.Parse(value, c) },
                "baseLearningRate" => options with { BaseLearningRate = double.Parse(value, c) },
                "imagesPerStep" => options with { ImagesPerStep = int.Parse(value, c) },
                "imagesPerDevice" => options with { ImagesPerDevice = int.Parse(value, c) },
                "checkpointPeriod" => options with { CheckpointPeriod = long.Parse(value, c) },
                "seed" => options with { Seed = long.Parse(value, c) },
                "warmupSteps" => options with { WarmupSteps = long.Parse(value, c) },
                _ => throw new ArgumentException($"unknown --set key '{key}'"),
            };
        }
        return options;
    }
}
