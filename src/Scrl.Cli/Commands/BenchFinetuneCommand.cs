using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Scrl.Core.Interop;
using Scrl.Core.Training;
using Scrl.Cli.Supervision;
using Scrl.Detection;
using Scrl.Detection.Backbones;
using Scrl.Detection.Evaluation;
using Scrl.Detection.Training;
using Scrl.Detection.Transform;
using Spectre.Console;
using Spectre.Console.Cli;
using static TorchSharp.torch;

namespace Scrl.Cli.Commands;

// Shapes: N images of the batch, each [3, H, W]; G boxes per image, xyxy px.

/// <summary>
/// Times a detector's training steps (forward, backward, SGD; AdamW with clipping for Sparse R-CNN) and inference passes
/// (on the initial weights) on CPU, with the share of NMS and RoIAlign in each (for Mask R-CNN, of pasting the masks and
/// RLE-encoding them as COCO results; for Sparse R-CNN, of Hungarian matching): Faster R-CNN, RetinaNet, Mask R-CNN,
/// keypoint R-CNN or Sparse R-CNN, R50-FPN. bench/pytorch_detector_step.py does the same work in PyTorch and prints the
/// same JSON lines.
/// </summary>
public sealed class BenchFinetuneCommand : Command<BenchFinetuneCommand.Settings>
{
    private const string TotalPhase = "step";
    private const string RleEncodePhase = "rle_encode";

    public sealed class Settings : CommandSettings
    {
        [CommandOption("--detector <KIND>")]
        [Description("faster-rcnn, retinanet, mask-rcnn, keypoint-rcnn or sparse-rcnn.")]
        [DefaultValue("faster-rcnn")]
        public string Detector { get; init; } = "faster-rcnn";

        [CommandOption("--size <PX>")]
        [Description("Shortest and longest side after resizing (min_size = max_size).")]
        [DefaultValue(512)]
        public int Size { get; init; } = 512;

        [CommandOption("--steps <N>")]
        [DefaultValue(3)]
        public int Steps { get; init; } = 3;

        [CommandOption("--warmup <N>")]
        [Description("Untimed training steps, and untimed inference passes, before the timed ones.")]
        [DefaultValue(1)]
        public int Warmup { get; init; } = 1;

        [CommandOption("--passes <N>")]
        [Description("Timed inference passes.")]
        [DefaultValue(2)]
        public int Passes { get; init; } = 2;

        [CommandOption("--init <PTH>")]
        [Description("Start from these weights (a torchvision state dict, e.g. the PyTorch script's --save-init), so both frameworks time the same values.")]
        public string? Init { get; init; }

        [CommandOption("--score-threshold <S>")]
        [Description("Detections scoring below it are dropped (torchvision's 0.05); 0 keeps 100 per image even from random weights, so mask pasting does its full work.")]
        [DefaultValue(0.05)]
        public double ScoreThreshold { get; init; } = 0.05;

        [CommandOption("--proposals <N>")]
        [Description("Sparse R-CNN's learnable proposals: 100, or 300 as the paper's '*' setting.")]
        [DefaultValue(100)]
        public int Proposals { get; init; } = 100;

        [CommandOption("--threads <N>")]
        [Description("torch intra-op threads; the PyTorch script takes the same option.")]
        [DefaultValue(2)]
        public int Threads { get; init; } = 2;

        public override ValidationResult Validate() =>
            Size < 64 || Steps < 1 || Warmup < 0 || Passes < 1 || Threads < 1 || Proposals < 1
                ? ValidationResult.Error("need --size >= 64, --steps >= 1, --warmup >= 0, --passes >= 1, --threads >= 1 and --proposals >= 1")
                : DetectorKinds.TryParse(Detector) is null
                    ? ValidationResult.Error($"--detector must be one of {string.Join(", ", DetectorKinds.All)}")
                    : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        set_num_threads(settings.Threads);
        random.manual_seed(0);
        var ops = new PhaseTimer(CPU);                                   // NMS and RoIAlign inside the detector
        var kind = DetectorKinds.Parse(settings.Detector);
        using var model = DetectorFactory.Create(kind, kind == DetectorKind.KeypointRcnn ? 2 : 91,
            new BackboneOptions { Norm = BackboneNorm.BatchNorm, TrainableLayers = 5 },   // torchvision without pretrained weights
            new TransformOptions { MinSize = [settings.Size], MaxSize = settings.Size }, ops, settings.ScoreThreshold, settings.Proposals);
        if (settings.Init is { } init) LoadTorchvisionWeights(model, init);
        var (images, targets) = SyntheticBatch(seed: 0, kind);
        AnsiConsole.MarkupLineInterpolated($"torch threads {get_num_threads()}; batch {images.Count}, {settings.Size} px; medians over {settings.Steps} steps and {settings.Passes} passes after {settings.Warmup} warm-up each");

        var initial = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());   // inference times these, as the PyTorch script does
        var train = Train(model, ops, images, targets, settings, cancellationToken);
        Report(kind, "train", images.Count, settings, train.Medians());
        using (no_grad())
            foreach (var (name, value) in model.state_dict()) value.copy_(initial[name]);
        var inference = Infer(model, ops, images, settings, cancellationToken);
        Report(kind, "inference", images.Count, settings, inference.Medians());
        return 0;
    }

    private static void LoadTorchvisionWeights(Detector model, string path)
    {
        var weights = CheckpointImport.LoadStateDict(path);
        try
        {
            BackboneLoad.Into(model, weights);
        }
        finally
        {
            foreach (var t in weights.Values) t.Dispose();
        }
    }

    /// <summary>Two fixed images (384x512 landscape, 512x384 portrait) with three boxes each, as the PyTorch script makes them:
    /// for Mask R-CNN the ellipses inscribed in the boxes, for keypoint R-CNN 17 visible keypoints in a fixed pattern per box.</summary>
    private static (List<Tensor> Images, List<DetectionTarget> Targets) SyntheticBatch(ulong seed, DetectorKind kind)
    {
        var generator = new Generator(seed);
        var images = new List<Tensor> { rand([3, 384, 512], generator: generator), rand([3, 512, 384], generator: generator) };   // [3, H, W]
        var boxes = tensor(new float[] { 40, 30, 200, 220, 250, 60, 330, 160, 100, 200, 360, 350 }).view(3, 4);   // [G, 4]
        var labels = kind == DetectorKind.KeypointRcnn ? tensor(new long[] { 1, 1, 1 }) : tensor(new long[] { 1, 5, 17 });
        var portrait = boxes.index_select(1, tensor(new long[] { 1, 0, 3, 2 }));                                   // transposed boxes
        var targets = new[] { boxes, portrait }.Zip(images, (b, image) => new DetectionTarget(b, labels.clone(),
            kind == DetectorKind.MaskRcnn ? EllipseMasks(b, image.shape[1], image.shape[2]) : null,
            kind == DetectorKind.KeypointRcnn ? KeypointPattern(b) : null)).ToList();
        return (images, targets);
    }

    /// <returns>[G, H, W] uint8: the ellipse inscribed in each box, tested at pixel centres.</returns>
    private static Tensor EllipseMasks(Tensor boxes, long height, long width)
    {
        var y = (arange(height, float32) + 0.5f).view(1, -1, 1);                                       // [1, H, 1]
        var x = (arange(width, float32) + 0.5f).view(1, 1, -1);                                        // [1, 1, W]
        var b = boxes.view(-1, 4, 1, 1);
        var (x1, y1, x2, y2) = (b[.., 0], b[.., 1], b[.., 2], b[.., 3]);                               // each [G, 1, 1]
        var dx = (x - (x1 + x2) / 2) / ((x2 - x1) / 2);
        var dy = (y - (y1 + y2) / 2) / ((y2 - y1) / 2);
        return (dx.square() + dy.square()).le(1).to(ScalarType.Byte);
    }

    /// <returns>[G, 17, 3]: keypoint j at fractions (((7 j) mod 17 + 0.5) / 17, (j + 0.5) / 17) of each box, all visible.</returns>
    private static Tensor KeypointPattern(Tensor boxes)
    {
        var j = arange(17, float32);
        var fx = ((7 * j).remainder(17) + 0.5f) / 17;
        var fy = (j + 0.5f) / 17;
        var x = boxes[.., 0..1] + (boxes[.., 2..3] - boxes[.., 0..1]) * fx;                              // [G, 17]
        var y = boxes[.., 1..2] + (boxes[.., 3..4] - boxes[.., 1..2]) * fy;
        return stack([x, y, full_like(x, 2f)], 2);
    }

    /// <summary>Training steps: forward (losses), backward, and the fine-tuning job's own update: SGD(0.02, momentum 0.9, wd 1e-4) as
    /// torchvision's reference, or for Sparse R-CNN AdamW(2.5e-5, wd 1e-4) after clipping the gradient norm to 1, as its authors.</summary>
    private static PhaseTimer Train(Detector model, PhaseTimer ops, List<Tensor> images, List<DetectionTarget> targets, Settings settings, CancellationToken ct)
    {
        model.train();
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, (Tensor)p.parameter)).ToList();
        bool sparse = model.Kind == DetectorKind.SparseRcnn;
        var update = ParameterUpdate.For(sparse ? FinetuneOptimizer.AdamW : FinetuneOptimizer.Sgd, trainable, new FinetuneOptions { WeightDecay = 1e-4, Momentum = 0.9 });
        double learningRate = sparse ? 2.5e-5 : 0.02;
        var timer = new PhaseTimer(CPU);
        for (int i = 0; i < settings.Warmup + settings.Steps; i++)
        {
            ct.ThrowIfCancellationRequested();
            var t = i < settings.Warmup ? new PhaseTimer(CPU) : timer;
            Breadcrumb.Leave($"benchmarking {DetectorKinds.NameOf(model.Kind)} R50-FPN training at {settings.Size} px, step {i + 1} of {settings.Warmup + settings.Steps}", now: true);
            var before = ops.Totals();
            var clock = Stopwatch.StartNew();
            t.Restart();
            using (NewDisposeScope())
            {
                var losses = model.Losses(images, targets, new Generator((ulong)i));
                var total = losses.Total();
                t.Mark("forward");
                foreach (var (_, p) in trainable) p.grad = null;
                total.backward();
                t.Mark("backward");
                if (sparse) update.ClipGradients(1.0);
                update.Apply(learningRate, i);
                t.Mark("optimizer");
            }
            t.Add(TotalPhase, clock.Elapsed.TotalSeconds);
            AddOpTimes(t, before, ops.Totals());
        }
        return timer;
    }

    /// <summary>Inference passes in eval mode.</summary>
    private static PhaseTimer Infer(Detector model, PhaseTimer ops, List<Tensor> images, Settings settings, CancellationToken ct)
    {
        model.eval();
        using var noGrad = no_grad();
        var timer = new PhaseTimer(CPU);
        for (int i = 0; i < settings.Warmup + settings.Passes; i++)
        {
            ct.ThrowIfCancellationRequested();
            var t = i < settings.Warmup ? new PhaseTimer(CPU) : timer;
            Breadcrumb.Leave($"benchmarking {DetectorKinds.NameOf(model.Kind)} R50-FPN inference at {settings.Size} px, pass {i + 1} of {settings.Warmup + settings.Passes}", now: true);
            var before = ops.Totals();
            var clock = Stopwatch.StartNew();
            using (NewDisposeScope())
            {
                var detections = model.call(images);
                t.Add(TotalPhase, clock.Elapsed.TotalSeconds);
                if (model.Kind == DetectorKind.MaskRcnn)
                {
                    // What evaluation does next with the masks: binarise and RLE-encode them as COCO results.
                    clock.Restart();
                    foreach (var d in detections)
                        CocoResults.Of(new Detections(d.Boxes, d.Scores, d.Labels, d.Masks), 0, label => (int)label);
                    t.Add(RleEncodePhase, clock.Elapsed.TotalSeconds);
                }
            }
            AddOpTimes(t, before, ops.Totals());
        }
        return timer;
    }

    /// <summary>Charges the NMS and RoIAlign time spent between two snapshots of the detector's timer.</summary>
    private static void AddOpTimes(PhaseTimer timer, IReadOnlyDictionary<string, double> before, IReadOnlyDictionary<string, double> after)
    {
        foreach (string phase in new[] { DetectionPhases.Nms, DetectionPhases.RoiAlign, DetectionPhases.MaskPaste, DetectionPhases.Matching })
            timer.Add(phase, after.GetValueOrDefault(phase) - before.GetValueOrDefault(phase));
    }

    private static string TorchvisionModel(DetectorKind kind) => kind switch
    {
        DetectorKind.RetinaNet => "retinanet_resnet50_fpn",
        DetectorKind.MaskRcnn => "maskrcnn_resnet50_fpn",
        DetectorKind.KeypointRcnn => "keypointrcnn_resnet50_fpn",
        DetectorKind.SparseRcnn => "sparse_rcnn_r50_fpn",
        _ => "fasterrcnn_resnet50_fpn",
    };

    /// <summary>One JSON line per case, with the same keys as the PyTorch scripts.</summary>
    private static void Report(DetectorKind kind, string mode, int batch, Settings settings, IReadOnlyDictionary<string, double> medians)
    {
        double step = medians[TotalPhase];
        double nms = medians[DetectionPhases.Nms], roiAlign = medians[DetectionPhases.RoiAlign];
        var record = new Dictionary<string, object>
        {
            ["framework"] = "scrl.cloud (TorchSharp)", ["model"] = TorchvisionModel(kind), ["mode"] = mode,
            ["batch"] = batch, ["size"] = settings.Size, ["threads"] = get_num_threads(),
            ["median_s"] = Math.Round(step, 4), ["images_per_s"] = Math.Round(batch / step, 3),
            ["peak_rss_mb"] = PeakMemory.ResidentMegabytes(),
            ["nms_roi_align_share"] = Math.Round((nms + roiAlign) / step, 4),
            ["breakdown_s"] = medians.Where(kv => kv.Key != TotalPhase).ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 4)),
        };
        if (kind == DetectorKind.SparseRcnn && mode == "train") record["matching_share"] = Math.Round(medians[DetectionPhases.Matching] / step, 4);
        if (kind == DetectorKind.MaskRcnn && mode == "inference")
        {
            record["mask_paste_share"] = Math.Round(medians[DetectionPhases.MaskPaste] / step, 4);
            // RLE encoding runs after the pass, so the bar's "share of an inference pass" adds it to the pass.
            record["mask_paste_rle_share"] = Math.Round((medians[DetectionPhases.MaskPaste] + medians[RleEncodePhase]) / step, 4);
        }
        Console.WriteLine(JsonSerializer.Serialize(record));
    }
}
