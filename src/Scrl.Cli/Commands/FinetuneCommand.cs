using System.ComponentModel;
using Scrl.Core;
using Scrl.Core.Configuration;
using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Datasets;
using Scrl.Detection;
using Scrl.Detection.Training;
using Scrl.Cli.Supervision;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Scrl.Cli.Commands;

/// <summary><c>scrl finetune</c>: a detector (Faster R-CNN, RetinaNet, Mask R-CNN or keypoint R-CNN, R50-FPN) on COCO, VOC or Cityscapes from a pretrained (or random) backbone.</summary>
public sealed class FinetuneCommand(IAnsiConsole console) : Command<FinetuneCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--task <TASK>")]
        [Description("coco-det, voc-det, coco-instances, coco-keypoints or cityscapes-instances.")]
        [DefaultValue("coco-det")]
        public string Task { get; init; } = "coco-det";

        [CommandOption("--detector <KIND>")]
        [Description("faster-rcnn, retinanet or sparse-rcnn for the detection tasks (default faster-rcnn); the others have one: mask-rcnn for instances, keypoint-rcnn for keypoints.")]
        public string? Detector { get; init; }

        [CommandOption("--backbone <PATH>")]
        [Description("Backbone checkpoint (SCRL .ckpt, torchvision .pth) or 'random'.")]
        [DefaultValue("random")]
        public string Backbone { get; init; } = "random";

        [CommandOption("--train <PATH>")]
        [Description("COCO: the dataset root (annotations/, train2017/) or its annotations/instances_<split>2017.json (person_keypoints_<split>2017.json for keypoints). VOC: a VOCdevkit/VOC2007 folder. Cityscapes: the root holding leftImg8bit/ and gtFine/.")]
        public string Train { get; init; } = "";

        [CommandOption("--train-split <SPLIT>")]
        [Description("Split to train on (default: train for COCO and Cityscapes, trainval for VOC; a COCO annotation file names its own).")]
        public string? TrainSplit { get; init; }

        [CommandOption("--val <PATH>")]
        [Description("Dataset root to score the final checkpoint on, in the task's layout (default: no evaluation).")]
        public string? Val { get; init; }

        [CommandOption("--val-split <SPLIT>")]
        [Description("Split of --val (default: val for COCO and Cityscapes, test for VOC).")]
        public string? ValSplit { get; init; }

        [CommandOption("--schedule <NAME>")]
        [Description("1x, 0.5x, 3x, voc or cityscapes (default: 1x for COCO, 3x for sparse-rcnn on COCO, voc for VOC, cityscapes for Cityscapes), at the detector's base learning rate and optimizer.")]
        public string? Schedule { get; init; }

        [CommandOption("--set <KEY=VALUE>")]
        [Description("Override a training option, e.g. maxSteps=200, baseLearningRate=0.01, trainMinSizes=[[480,512]], proposals=300, randomCrop=true (repeatable).")]
        public string[] Overrides { get; init; } = [];

        [CommandOption("-d|--device <DEVICE>")]
        [Description("cpu or cuda[[:n]].")]
        [DefaultValue("cpu")]
        public string Device { get; init; } = "cpu";

        [CommandOption("-o|--out <DIR>")]
        [DefaultValue("runs/finetune")]
        public string Output { get; init; } = "runs/finetune";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var spec = ToSpec(settings);
        using var job = new FinetuneJob(spec, settings.Output, Devices.Parse(settings.Device));
        var data = job.TrainData;
        console.MarkupLineInterpolated(
            $"[bold]{DetectorKinds.NameOf(spec.Detector)}[/] on {settings.Task}: {data.Records.Count} training images, {data.SkippedImages} skipped (no non-crowd boxes), {data.NumClasses - 1} classes, {job.TotalSteps} steps, device {settings.Device}");
        var progress = new SyncProgress<DetectionStepResult>(r =>
        {
            console.MarkupLineInterpolated($"step {r.Step + 1}/{job.TotalSteps} loss {r.Losses["loss"]:F4} lr {r.LearningRate:G3} {r.Seconds:F2}s");
            Breadcrumb.Leave($"fine-tuning {DetectorKinds.NameOf(spec.Detector)} into {settings.Output}, step {r.Step + 1} of {job.TotalSteps}");
        });
        var trained = job.Train(progress, cancellationToken);
        if (trained.ResumedFrom >= job.TotalSteps) console.MarkupLineInterpolated($"{settings.Output} already holds all {job.TotalSteps} steps");
        console.MarkupLineInterpolated($"[green]done[/] at step {trained.Step}");
        console.WriteCopyable($"checkpoint  {Path.GetFullPath(trained.Checkpoint)}");
        console.WriteCopyable($"metrics     {Path.GetFullPath(job.Layout.Metrics)}");
        if (spec.Val is null)
        {
            console.MarkupLine("score it with scrl evaluate --model <checkpoint> --val <dataset root>, or pass --val next time");
            return 0;
        }
        Breadcrumb.Leave($"scoring {DetectorKinds.NameOf(spec.Detector)} of {settings.Output} on {spec.Val.Root}");
        var scored = job.Evaluate(cancellationToken: cancellationToken);
        console.WriteLine(scored.Scores!.Summary);
        console.WriteCopyable($"evaluation  {Path.GetFullPath(job.Layout.Evaluation)}");
        return 0;
    }

    /// <summary>The job the options describe; the task supplies the layout, splits and schedule they leave out.</summary>
    internal static FinetuneSpec ToSpec(Settings settings)
    {
        var task = FinetuneTasks.Parse(settings.Task);
        var detector = FinetuneTasks.DetectorFor(task, settings.Detector is null ? null : DetectorKinds.Parse(settings.Detector));
        if (settings.Train.Length == 0) throw new ArgumentException("--train is required: the training split's dataset root");
        var training = ConfigLoader.Override(FinetuneOptions.ForSchedule(settings.Schedule ?? FinetuneTasks.DefaultScheduleOf(task, detector), detector),
                                             settings.Overrides, o => o.Validate(""));
        return new FinetuneSpec
        {
            Detector = detector,
            Task = task,
            Train = TrainSplit(task, settings.Train, settings.TrainSplit),
            Val = settings.Val is null ? null : DetectionSplit.Val(task, settings.Val, settings.ValSplit),
            Backbone = settings.Backbone,
            Training = training,
        };
    }

    // A COCO annotation file stands for its dataset root and split: <root>/annotations/instances_<split>2017.json.
    private static DetectionSplit TrainSplit(FinetuneTask task, string train, string? split)
    {
        var format = FinetuneTasks.FormatOf(task);
        if (format is not (DatasetFormat.Coco or DatasetFormat.CocoKeypoints) || Directory.Exists(train)) return DetectionSplit.Train(task, train, split);
        string prefix = format == DatasetFormat.CocoKeypoints ? "person_keypoints_" : "instances_";
        string name = Path.GetFileNameWithoutExtension(train);
        if (!File.Exists(train) || !name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith("2017", StringComparison.Ordinal))
            throw new ArgumentException($"--train '{train}' is neither a COCO dataset root nor its annotations/{prefix}<split>2017.json");
        string fileSplit = name[prefix.Length..^"2017".Length];
        if (split is not null && split != fileSplit)
            throw new ArgumentException($"--train-split {split} contradicts '{train}', which is the {fileSplit} split");
        return DetectionSplit.Train(task, CocoLayout.RootOf(train)!, fileSplit);
    }
}
