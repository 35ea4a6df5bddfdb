using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Scrl.Core;
using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Datasets;
using Scrl.Core.Reporting;
using Scrl.Detection;
using Scrl.Detection.Evaluation;
using Scrl.Detection.Training;
using Scrl.Detection.Transform;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Scrl.Cli.Commands;

/// <summary>
/// <c>scrl evaluate</c>: pycocotools-exact AP of a results file (<c>--gt/--dets</c>, boxes, masks or keypoints by
/// <c>--iou-type</c>), or the bbox AP of a fine-tuned
/// checkpoint run over a validation set (<c>--model/--val</c>), with COCO or VOC metrics and overlay PNGs.
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
        [Description("Dataset root: COCO (annotations/instances_<split>2017.json, <split>2017/) or VOC with --format voc.")]
        public string Val { get; init; } = "";

        [CommandOption("--format <FORMAT>")]
        [Description("Layout of --val: coco or voc.")]
        [DefaultValue("coco")]
        public string Format { get; init; } = "coco";

        [CommandOption("--split <SPLIT>")]
        [Description("Split of --val (default: val for COCO, test for VOC).")]
        public string? Split { get; init; }

        [CommandOption("--task <TASK>")]
        [Description("coco-det (COCO AP table) or voc-det (VOC AP, AP50, AP75 per detectron2).")]
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
        [Description("Val images drawn with true (dashed green) and predicted (score >= 0.5, red) boxes.")]
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
            throw new ArgumentException("--iou-type segm and keypoints score a results file: use --gt <instances.json> --dets <results.json>");
        if (settings.Model.Length == 0 || settings.Val.Length == 0)
            throw new ArgumentException("evaluate needs --gt <instances.json> --dets <results.json>, or --model <ckpt> --val <dataset root>");
        if (settings.Task is not ("coco-det" or "voc-det")) throw new ArgumentException($"--task must be coco-det or voc-det, was '{settings.Task}'");
        var format = settings.Format switch
        {
            "coco" => DatasetFormat.Coco,
            "voc" => DatasetFormat.Voc,
            _ => throw new ArgumentException($"--format must be coco or voc, was '{settings.Format}'"),
        };
        if (format == DatasetFormat.Voc && settings.Task == "coco-det")
            throw new ArgumentException("--format voc has no COCO instances file to score against; use --task voc-det");
        string split = settings.Split ?? (format == DatasetFormat.Voc ? "test" : CocoLayout.Val);
        var dataset = DatasetReaders.Read(format, settings.Val, split);
        var data = new DetectionDataset(dataset, training: false);
        using var model = DetectorCheckpoint.Load(settings.Model, new TransformOptions { MinSize = [settings.MinSize], MaxSize = settings.MaxSize },
                                                  device: Devices.Parse(settings.Device));
        console.MarkupLineInterpolated($"[bold]{DetectorKinds.NameOf(model.Kind)}[/] from {settings.Model}");
        var detections = DetectionPredictor.Predict(model, data, settings.Batch, cancellationToken);

        Directory.CreateDirectory(settings.Output);
        string resultsPath = Path.Combine(settings.Output, "detections.json");
        CocoResultsJson.Save(resultsPath, detections);
        console.MarkupLineInterpolated($"{detections.Count} detections on {data.Records.Count} images -> {resultsPath}");
        if (settings.Task == "coco-det")
            PrintCoco(CocoGroundTruth.Load(CocoLayout.AnnotationFile(settings.Val, split)), detections, CocoIouType.Bbox);
        else
        {
            // detectron2 uses the 11-point metric for VOC2007 only; other layouts get it too, as the VOC2007 test protocol.
            bool use07 = format != DatasetFormat.Voc || Path.GetFileName(Path.TrimEndingDirectorySeparator(settings.Val)).Contains("2007", StringComparison.Ordinal);
            PrintVoc(VocDatasetEvaluation.Evaluate(dataset, detections, use07));
        }
        WriteOverlays(dataset, detections, Math.Min(settings.Overlays, dataset.Records.Count), settings.Output);
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

    private void PrintVoc(VocResult result)
    {
        var c = CultureInfo.InvariantCulture;
        console.WriteLine(string.Format(c, "VOC  AP {0:F2}  AP50 {1:F2}  AP75 {2:F2}", result.AP, result.AP50, result.AP75));
        var table = new Table().AddColumns("class", "AP50");
        foreach (var (name, ap) in result.PerClassAp50) table.AddRow(Markup.Escape(name), ap.ToString("F2", c));
        console.Write(table);
    }

    private void WriteOverlays(ImageDataset dataset, IReadOnlyList<CocoDetection> detections, int count, string output)
    {
        var names = dataset.Categories.ToDictionary(c => c.Id, c => c.Name);
        var byImage = detections.Where(d => d.Score >= DrawnScore && d.Bbox is { Count: 4 }).ToLookup(d => d.ImageId);
        foreach (var record in dataset.Records.Take(count))
        {
            var truth = record.Instances.Select(i => new OverlayBox(i.Box.X1, i.Box.Y1, i.Box.X2, i.Box.Y2, names[i.CategoryId])).ToList();
            var predicted = byImage[ResultImageIds.Of(record.ImageId)]
                .Select(d => new OverlayBox(d.Bbox![0], d.Bbox[1], d.Bbox[0] + d.Bbox[2], d.Bbox[1] + d.Bbox[3], $"{names[d.CategoryId]} {d.Score:F2}"))
                .ToList();
            string png = Path.Combine(output, $"overlay-{record.ImageId}.png");
            DetectionOverlay.Save(record.ImagePath, truth, predicted, png);
            console.MarkupLineInterpolated($"{png}: {truth.Count} true, {predicted.Count} predicted boxes");
        }
    }
}
