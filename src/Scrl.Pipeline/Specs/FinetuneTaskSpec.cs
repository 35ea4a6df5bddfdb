using System.Text.Json.Serialization;

namespace Scrl.Pipeline.Specs;

/// <summary>A downstream detection benchmark.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FinetuneTask>))]
public enum FinetuneTask
{
    [JsonStringEnumMemberName("coco-det")] CocoDetection,
    [JsonStringEnumMemberName("voc-det")] VocDetection,
    [JsonStringEnumMemberName("coco-instances")] CocoInstances,
    [JsonStringEnumMemberName("coco-keypoints")] CocoKeypoints,
    [JsonStringEnumMemberName("cityscapes-instances")] CityscapesInstances,
}

/// <summary>The detector fine-tuned on the pretrained backbone, R50-FPN as torchvision (or, for Sparse R-CNN, its authors) build them.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FinetuneDetector>))]
public enum FinetuneDetector
{
    [JsonStringEnumMemberName("faster-rcnn")] FasterRcnn,
    [JsonStringEnumMemberName("retinanet")] RetinaNet,
    [JsonStringEnumMemberName("mask-rcnn")] MaskRcnn,
    [JsonStringEnumMemberName("keypoint-rcnn")] KeypointRcnn,
    [JsonStringEnumMemberName("sparse-rcnn")] SparseRcnn,
}

/// <summary>Training length: detectron2's COCO 1x (90k iterations), half of it or 3x (270k, 36 epochs: Sparse R-CNN), the VOC07+12 schedule (18k), or Cityscapes' (24k of 8 images).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FinetuneSchedule>))]
public enum FinetuneSchedule
{
    [JsonStringEnumMemberName("1x")] OneX,
    [JsonStringEnumMemberName("0.5x")] HalfX,
    [JsonStringEnumMemberName("3x")] ThreeX,
    [JsonStringEnumMemberName("voc")] Voc,
    [JsonStringEnumMemberName("cityscapes")] Cityscapes,
}

/// <summary>One fine-tuning job run on the pretrained backbone; the tasks of a run run in parallel.</summary>
public sealed record FinetuneTaskSpec
{
    /// <summary>Which benchmark. Default <c>coco-det</c>.</summary>
    public FinetuneTask Task { get; init; } = FinetuneTask.CocoDetection;

    /// <summary>Which detector: <c>faster-rcnn</c> (appendix A.2), <c>retinanet</c> (A.3, base learning rate 0.01) or
    /// <c>sparse-rcnn</c> (E, AdamW at 2.5e-5; <c>proposals</c> and <c>randomCrop</c> in the overrides) for the detection tasks, <c>mask-rcnn</c> for the instance tasks (A.4, A.6), <c>keypoint-rcnn</c> for keypoints (A.5).
    /// Default: the task's first.</summary>
    public FinetuneDetector? Detector { get; init; }

    /// <summary>How long to train; must suit the task (COCO: 1x, 0.5x or 3x, VOC: voc, Cityscapes: cityscapes). Default: the
    /// task's appendix schedule (3x for Sparse R-CNN on COCO).</summary>
    public FinetuneSchedule? Schedule { get; init; }

    /// <summary>Training data, as a path the workers can read: for the COCO tasks a COCO root (<c>train2017</c>; keypoints read
    /// its <c>person_keypoints_train2017.json</c>), for <c>voc-det</c> a VOC folder such as <c>VOCdevkit/VOC2007</c>
    /// (<c>trainval</c>), for <c>cityscapes-instances</c> a Cityscapes root (<c>leftImg8bit/train</c>, <c>gtFine/train</c>).
    /// Default: the run's dataset, when its format is the task's.</summary>
    public string? Train { get; init; }

    /// <summary>Where the fine-tuned model is scored: a COCO root (<c>val2017</c>), a VOC folder (<c>test</c>) or a Cityscapes root (<c>val</c>).
    /// Default: <see cref="Train"/>'s dataset.</summary>
    public string? Val { get; init; }

    /// <summary>Training options on top of the schedule, as <c>scrl finetune --set</c> takes them, e.g. <c>maxSteps</c>,
    /// <c>imagesPerStep</c>, <c>trainMinSizes</c> → <c>480,512</c>. The worker checks them and fails the stage, listing
    /// every bad key. Default none.</summary>
    public IReadOnlyDictionary<string, string> Overrides { get; init; } = new Dictionary<string, string>();

    /// <summary>The dataset layout the task reads.</summary>
    [JsonIgnore]
    public DatasetFormat DatasetFormat => Task switch
    {
        FinetuneTask.VocDetection => DatasetFormat.Voc,
        FinetuneTask.CityscapesInstances => DatasetFormat.Cityscapes,
        _ => DatasetFormat.Coco,
    };

    /// <summary><see cref="Detector"/>, or the task's default.</summary>
    [JsonIgnore]
    public FinetuneDetector ResolvedDetector => Detector ?? DetectorsOf(Task)[0];

    /// <summary><see cref="Schedule"/>, or the task's appendix schedule.</summary>
    [JsonIgnore]
    public FinetuneSchedule ResolvedSchedule => Schedule
        ?? (ResolvedDetector == FinetuneDetector.SparseRcnn && DatasetFormat == DatasetFormat.Coco ? FinetuneSchedule.ThreeX : SchedulesOf(Task)[0]);

    /// <summary>Stage name and artifact folder, e.g. <c>finetune-faster-rcnn-coco-det-1x</c> (a dot is not allowed in stage names).</summary>
    [JsonIgnore]
    public string StageName => $"finetune-{JsonName(ResolvedDetector)}-{JsonName(Task)}-{JsonName(ResolvedSchedule).Replace('.', 'p')}";

    public IReadOnlyList<ValidationError> Validate(string path)
    {
        var errors = new List<ValidationError>();
        if (!Enum.IsDefined(Task)) errors.Add(new($"{path}.task", $"is not a known task, was {(int)Task}"));
        if (Detector is { } detector && !Enum.IsDefined(detector)) errors.Add(new($"{path}.detector", $"is not a known detector, was {(int)detector}"));
        if (Schedule is { } schedule && !Enum.IsDefined(schedule)) errors.Add(new($"{path}.schedule", $"is not a known schedule, was {(int)schedule}"));
        if (errors.Count > 0) return errors;
        if (!DetectorsOf(Task).Contains(ResolvedDetector))
            errors.Add(new($"{path}.detector", $"{JsonName(Task)} fine-tunes {string.Join(" or ", DetectorsOf(Task).Select(JsonName))}, not {JsonName(ResolvedDetector)}"));
        if (!SchedulesOf(Task).Contains(ResolvedSchedule))
            errors.Add(new($"{path}.schedule", $"{JsonName(Task)} trains with {string.Join(" or ", SchedulesOf(Task).Select(s => $"'{JsonName(s)}'"))}"));
        errors.AddRange(StageOverrides.Validate($"{path}.overrides", Overrides, "maxSteps"));
        errors.AddRange(SplitLocation.Validate($"{path}.train", Train));
        errors.AddRange(SplitLocation.Validate($"{path}.val", Val));
        return errors;
    }

    private static FinetuneDetector[] DetectorsOf(FinetuneTask task) => task switch
    {
        FinetuneTask.CocoInstances or FinetuneTask.CityscapesInstances => [FinetuneDetector.MaskRcnn],
        FinetuneTask.CocoKeypoints => [FinetuneDetector.KeypointRcnn],
        _ => [FinetuneDetector.FasterRcnn, FinetuneDetector.RetinaNet, FinetuneDetector.SparseRcnn],
    };

    private static FinetuneSchedule[] SchedulesOf(FinetuneTask task) => task switch
    {
        FinetuneTask.VocDetection => [FinetuneSchedule.Voc],
        FinetuneTask.CityscapesInstances => [FinetuneSchedule.Cityscapes],
        _ => [FinetuneSchedule.OneX, FinetuneSchedule.HalfX, FinetuneSchedule.ThreeX],
    };

    /// <summary>The name a spec writes, from the enum's JsonStringEnumMemberName.</summary>
    public static string JsonName<T>(T value) where T : struct, Enum =>
        typeof(T).GetField(value.ToString())!.GetCustomAttributes(typeof(JsonStringEnumMemberNameAttribute), false)
            .Cast<JsonStringEnumMemberNameAttribute>().Single().Name;
}
