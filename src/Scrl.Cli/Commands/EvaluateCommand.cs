using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Scrl.Core;
using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Datasets;
using Scrl.Core.Reporting;
using Scrl.Detection;
using Scrl.Detection.Evaluation;
using Scrl.Detection.Masks;
using Scrl.Detection.Training;
using Scrl.Detection.Transform;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Scrl.Cli.Commands;

/// <summary>
/// <c>scrl evaluate</c>: pycocotools-exact AP of a results file (<c>--gt/--dets</c>, boxes, masks or keypoints by
/// <c>--iou-type</c>), or a fine-tuned checkpoint of any detector run over a task's validation set (<c>--model/--val</c>)
/// and scored with the task's protocol (COCO, VOC or Cityscapes), with overlay PNGs.
/// </summary>
public sealed class EvaluateCommand(IAnsiConsole console) : Command<EvaluateCommand.Settings>
{
    /// <summary>Predictions drawn on the overlays; the metrics use every detection.</summary>
    private const double DrawnScore = 0.5;

    public sealed class Settings : CommandSettings
    {
        [CommandOption("--gt <PATH>")]
        [Description("COCO instances json (ground truth), with --dets.")]
        public string GroundTruth { get; init; } = "";

        [CommandOption("--dets <PATH>")]
        [Description("COCO results json: [[{image_id, category_id, bbox: [[x, y, w, h]], score}]], with segmentation (RLE) or keypoints for segm and keypoints.")]
        public string Detections { get; init; } = "";

        [CommandOption("--iou-type <TYPE>")]
        [Description("What --dets is scored on: bbox, segm (RLE masks) or keypoints (OKS).")]
        [DefaultValue("bbox")]
        public string IouType { get; init; } = "bbox";

        [CommandOption("--model <CKPT>")]
        [Description("Fine-tuning checkpoint of any detector (scrl finetune's checkpoints/step-*.ckpt), with --val.")]
        public string Model { get; init; } = "";

        [CommandOption("--val <DIR>")]
        [Description("Dataset root in the task's layout: COCO (annotations/, <split>2017/), VOC, or Cityscapes (leftImg8bit/, gtFine/).")]
        public string Val { get; init; } = "";

        [CommandOption("--format <FORMAT>")]
        [Description("Layout of --val when it is not the task's: coco or voc (voc-det scores either).")]
        public string? Format { get; init; }

        [CommandOption("--split <SPLIT>")]
        [Description("Split of --val (default: the task's: val for COCO and Cityscapes, test for VOC).")]
        public string? Split { get; init; }

        [CommandOption("--task <TASK>")]
        [Description("What --model is scored on: coco-det (COCO box AP), voc-det (VOC AP, AP50, AP75 per detectron2), coco-instances (box and mask AP), coco-keypoints (box and OKS AP) or cityscapes-instances (cityscapesScripts' AP, AP50).")]
        [DefaultValue("coco-det")]
        public string Task { get; init; } = "coco-det";

        [CommandOption("--min-size <PX>")]
        [DefaultValue(800)]
        public int MinSize { get; init; } = 800;

        [CommandOption("--max-size <PX>")]
        [DefaultValue(1333)]
        public int MaxSize { get; init; } = 1333;

        [CommandOption("--batch <N>")]
        [DefaultValue(2)]
        public int Batch { get; init; } = 2;

        [CommandOption("--overlays <N>")]
        [Description("Val images drawn with true (dashed green) and predicted (score >= 0.5, red) boxes, masks and keypoints.")]
        [DefaultValue(4)]
        public int Overlays { get; init; } = 4;

        [CommandOption("-d|--device <DEVICE>")]
        [Description("cpu or cuda[[:n]], where --model runs.")]
        [DefaultValue("cpu")]
        public string Device { get; init; } = "cpu";

        [CommandOption("-o|--out <DIR>")]
        [DefaultValue("runs/evaluate")]
        public string Output { get; init; } = "runs/evaluate";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var iouType = CocoIouTypes.Parse(settings.IouType);
        if (settings.GroundTruth.Length > 0 && settings.Detections.Length > 0)
        {
            PrintCoco(CocoGroundTruth.Load(settings.GroundTruth, iouType), CocoResultsJson.Load(settings.Detections), iouType);
            return 0;
        }
        if (iouType != CocoIouType.Bbox)
            throw new ArgumentException("--iou-type scores a results file (--gt, --dets); with --model the --task decides what is scored");
        if (settings.Model.Length == 0 || settings.Val.Length == 0)
            throw new ArgumentException("evaluate needs --gt <instances.json> --dets <results.json>, or --model <ckpt> --val <dataset root>");
        var task = FinetuneTasks.Parse(settings.Task);
        var format = settings.Format switch
        {
            null => FinetuneTasks.FormatOf(task),
            "coco" => DatasetFormat.Coco,
            "voc" => DatasetFormat.Voc,
            _ => throw new ArgumentException($"--format must be coco or voc, was '{settings.Format}'"),
        };
        if (format == DatasetFormat.Voc && task != FinetuneTask.VocDet)
            throw new ArgumentException($"--format voc has no COCO annotation file to score {settings.Task} against; use --task voc-det");
        // The split follows the layout: voc-det may score a COCO layout, whose split is val.
        string split = settings.Split ?? (format == FinetuneTasks.FormatOf(task) ? FinetuneTasks.ValSplitOf(task) : CocoLayout.Val);
        var val = new DetectionSplit(format, settings.Val, split);
        using var model = DetectorCheckpoint.Load(settings.Model, new TransformOptions { MinSize = [settings.MinSize], MaxSize = settings.MaxSize },
                                                  device: Devices.Parse(settings.Device));
        FinetuneTasks.DetectorFor(task, model.Kind);
        console.MarkupLineInterpolated($"[bold]{DetectorKinds.NameOf(model.Kind)}[/] from {settings.Model}");
        var clock = Stopwatch.StartNew();
        var dataset = val.Read();
        var (scores, detections) = TaskEvaluation.Run(task, val, dataset, model, settings.Batch, cancellationToken);

        Directory.CreateDirectory(settings.Output);
        string resultsPath = Path.Combine(settings.Output, "detections.json");
        CocoResultsJson.Save(resultsPath, detections);
        console.WriteLine(scores.Summary);
        console.MarkupLineInterpolated(
            $"{detections.Count} detections predicted and scored in {clock.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s -> {resultsPath}");
        WriteOverlays(val.Format, dataset, detections, Math.Min(settings.Overlays, dataset.Records.Count), settings.Output);
        return 0;
    }

    private void PrintCoco(CocoGroundTruth groundTruth, IReadOnlyList<CocoDetection> detections, CocoIouType iouType)
    {
        var clock = Stopwatch.StartNew();
        var stats = new CocoEvaluator(iouType).Evaluate(groundTruth, detections);
        console.WriteLine(stats.FormatSummary());
        console.MarkupLineInterpolated(
            $"{detections.Count} detections on {groundTruth.ImageIds.Count} images scored in {clock.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s");
    }

    private void WriteOverlays(DatasetFormat format, ImageDataset dataset, IReadOnlyList<CocoDetection> detections, int count, string output)
    {
        var names = dataset.Categories.ToDictionary(c => c.Id, c => c.Name);
        var byImage = detections.Where(d => d.Score >= DrawnScore && d.Bbox is { Count: 4 }).ToLookup(d => d.ImageId);
        foreach (var (record, position) in dataset.Records.Take(count).Select((r, i) => (r, i)))
        {
            var truth = record.Instances.Select(i => new OverlayBox(i.Box.X1, i.Box.Y1, i.Box.X2, i.Box.Y2, names[i.CategoryId], Keypoints: i.Keypoints)).ToList();
            var predicted = byImage[ResultImageIds.Of(format, record, position)]
                .Select(d => new OverlayBox(d.Bbox![0], d.Bbox[1], d.Bbox[0] + d.Bbox[2], d.Bbox[1] + d.Bbox[3], $"{names[d.CategoryId]} {d.Score:F2}",
                                            d.Segmentation is { } rle ? CocoMasks.Rasterize(CocoSegmentation.FromRle(rle), rle.Height, rle.Width) : null, d.Keypoints))
                .ToList();
            string png = Path.Combine(output, $"overlay-{record.ImageId}.png");
            DetectionOverlay.Save(record.ImagePath, truth, predicted, png);
            console.MarkupLineInterpolated($"{png}: {truth.Count} true, {predicted.Count} predicted boxes");
        }
    }
}
