using System.Text.Json.Serialization;

namespace Scrl.Pipeline.Specs;

/// <summary>A downstream detection benchmark.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FinetuneTask>))]
public enum FinetuneTask
{
    [JsonStringEnumMemberName("coco-det")] CocoDetection,
    [JsonStringEnumMemberName("voc-det")] VocDetection,
}

/// <summary>The detector fine-tuned on the pretrained backbone, both R50-FPN as torchvision builds them.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FinetuneDetector>))]
public enum FinetuneDetector
{
    [JsonStringEnumMemberName("faster-rcnn")] FasterRcnn,
    [JsonStringEnumMemberName("retinanet")] RetinaNet,
}

/// <summary>Training length: detectron2's COCO 1x (90k iterations) or half of it, or the VOC07+12 schedule (24k).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FinetuneSchedule>))]
public enum FinetuneSchedule
{
    [JsonStringEnumMemberName("1x")] OneX,
    [JsonStringEnumMemberName("0.5x")] HalfX,
    [JsonStringEnumMemberName("voc")] Voc,
}

/// <summary>One fine-tuning job run on the pretrained backbone; the tasks of a run run in parallel.</summary>
public sealed record FinetuneTaskSpec
{
    /// <summary>Which benchmark. Default <c>coco-det</c>.</summary>
    public FinetuneTask Task { get; init; } = FinetuneTask.CocoDetection;

    /// <summary>Which detector: <c>faster-rcnn</c> (appendix A.2) or <c>retinanet</c> (A.3, base learning rate 0.01).
    /// Default <c>faster-rcnn</c>.</summary>
    public FinetuneDetector Detector { get; init; } = FinetuneDetector.FasterRcnn;

    /// <summary>How long to train; must suit the task (COCO: 1x or 0.5x, VOC: voc). Default <c>1x</c>.</summary>
    public FinetuneSchedule Schedule { get; init; } = FinetuneSchedule.OneX;

    /// <summary>Training data, as a path the workers can read: for <c>coco-det</c> a COCO root (<c>train2017</c>), for
    /// <c>voc-det</c> a VOC folder such as <c>VOCdevkit/VOC2007</c> (<c>trainval</c>). Default: the run's dataset, when its
    /// format is the task's.</summary>
    public string? Train { get; init; }

    /// <summary>Where the fine-tuned model is scored: a COCO root (<c>val2017</c>) or a VOC folder (<c>test</c>).
    /// Default: <see cref="Train"/>'s dataset.</summary>
    public string? Val { get; init; }

    /// <summary>Training options on top of the schedule, as <c>scrl finetune --set</c> takes them, e.g. <c>maxSteps</c>,
    /// <c>imagesPerStep</c>, <c>trainMinSizes</c> → <c>480,512</c>. The worker checks them and fails the stage, listing
    /// every bad key. Default none.</summary>
    public IReadOnlyDictionary<string, string> Overrides { get; init; } = new Dictionary<string, string>();

    /// <summary>The dataset layout the task reads.</summary>
    [JsonIgnore]
    public DatasetFormat DatasetFormat => Task == FinetuneTask.VocDetection ? DatasetFormat.Voc : DatasetFormat.Coco;

    /// <summary>Stage name and artifact folder, e.g. <c>finetune-faster-rcnn-coco-det-1x</c> (a dot is not allowed in stage names).</summary>
    [JsonIgnore]
    public string StageName => $"finetune-{DetectorSlug}-{TaskSlug}-{ScheduleSlug}";

    private string DetectorSlug => Detector == FinetuneDetector.RetinaNet ? "retinanet" : "faster-rcnn";

    private string TaskSlug => Task == FinetuneTask.VocDetection ? "voc-det" : "coco-det";

    private string ScheduleSlug => Schedule switch { FinetuneSchedule.HalfX => "0p5x", FinetuneSchedule.Voc => "voc", _ => "1x" };

    public IReadOnlyList<ValidationError> Validate(string path)
    {
        var errors = new List<ValidationError>();
        if (!Enum.IsDefined(Task)) errors.Add(new($"{path}.task", $"is not a known task, was {(int)Task}"));
        if (!Enum.IsDefined(Detector)) errors.Add(new($"{path}.detector", $"is not a known detector, was {(int)Detector}"));
        if (!Enum.IsDefined(Schedule)) errors.Add(new($"{path}.schedule", $"is not a known schedule, was {(int)Schedule}"));
        bool voc = Task == FinetuneTask.VocDetection;
        if (voc && Schedule != FinetuneSchedule.Voc)
            errors.Add(new($"{path}.schedule", "voc-det trains with the 'voc' schedule"));
        if (!voc && Schedule == FinetuneSchedule.Voc)
            errors.Add(new($"{path}.schedule", "coco-det trains with '1x' or '0.5x'"));
        errors.AddRange(StageOverrides.Validate($"{path}.overrides", Overrides, "maxSteps"));
        errors.AddRange(SplitLocation.Validate($"{path}.train", Train));
        errors.AddRange(SplitLocation.Validate($"{path}.val", Val));
        return errors;
    }
}
