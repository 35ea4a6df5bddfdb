using Scrl.Core.Configuration;

namespace Scrl.Detection.Training;

/// <summary>Fine-tuning schedule and data settings (SCRL appendix, following detectron2's configs).</summary>
public sealed record FinetuneOptions
{
    /// <summary>Learning rate at <see cref="ReferenceBatchSize"/> images per step; scaled linearly with <see cref="ImagesPerStep"/>.</summary>
    public double BaseLearningRate { get; init; } = 0.02;

    public int ReferenceBatchSize { get; init; } = 16;

    /// <summary>Images per optimizer step (gradient accumulation fills it from <see cref="ImagesPerDevice"/>).</summary>
    public int ImagesPerStep { get; init; } = 16;

    /// <summary>Images per forward pass.</summary>
    public int ImagesPerDevice { get; init; } = 2;

    public long MaxSteps { get; init; } = 90_000;

    /// <summary>Steps at which the learning rate is multiplied by <see cref="Gamma"/>.</summary>
    public IReadOnlyList<long> LrSteps { get; init; } = [60_000, 80_000];

    public double Gamma { get; init; } = 0.1;

    public long WarmupSteps { get; init; } = 1000;

    /// <summary>Learning-rate factor at step 0, rising linearly to 1 at <see cref="WarmupSteps"/>.</summary>
    public double WarmupFactor { get; init; } = 0.001;

    public FinetuneOptimizer Optimizer { get; init; } = FinetuneOptimizer.Sgd;

    /// <summary>SGD's momentum (AdamW has fixed betas 0.9 and 0.999).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Before each update, the whole model's gradient is scaled down to this L2 norm if it is longer; 0 never clips.</summary>
    public double GradientClipNorm { get; init; }

    /// <summary>Sparse R-CNN's learnable proposals: 100, or 300 in the paper's "*" setting. The other detectors have none.</summary>
    public int Proposals { get; init; } = 100;

    /// <summary>
    /// The crop augmentation of DETR and Sparse R-CNN's "*" setting: half of the training images are resized to a
    /// shorter side of 400, 500 or 600, cropped to a random 384..600 px window, then resized as usual.
    /// </summary>
    public bool RandomCrop { get; init; }

    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>Training shortest sides, one drawn per image.</summary>
    public IReadOnlyList<int> TrainMinSizes { get; init; } = [640, 672, 704, 736, 768, 800];

    public int TestMinSize { get; init; } = 800;

    public int MaxSize { get; init; } = 1333;

    public double HorizontalFlipProbability { get; init; } = 0.5;

    public long Seed { get; init; }

    public long CheckpointPeriod { get; init; } = 5000;

    /// <summary>Learning rate actually used: base * images per step / reference batch.</summary>
    public double LearningRate => BaseLearningRate * ImagesPerStep / ReferenceBatchSize;

    /// <summary>Forward passes accumulated per optimizer step.</summary>
    public int AccumulationSteps => ImagesPerStep / ImagesPerDevice;

    /// <summary>Every problem at once (never throws).</summary>
    public IReadOnlyList<ValidationError> Validate(string path = "finetune")
    {
        var errors = new List<ValidationError>();
        if (BaseLearningRate <= 0) errors.Add(new($"{path}.baseLearningRate", $"must be > 0, was {BaseLearningRate}"));
        if (ImagesPerDevice <= 0) errors.Add(new($"{path}.imagesPerDevice", $"must be > 0, was {ImagesPerDevice}"));
        if (ImagesPerStep <= 0 || ImagesPerDevice > 0 && ImagesPerStep % ImagesPerDevice != 0)
            errors.Add(new($"{path}.imagesPerStep", $"must be a positive multiple of imagesPerDevice ({ImagesPerDevice}), was {ImagesPerStep}"));
        if (MaxSteps <= 0) errors.Add(new($"{path}.maxSteps", $"must be > 0, was {MaxSteps}"));
        if (LrSteps.Any(s => s <= 0 || s > MaxSteps) || !LrSteps.SequenceEqual(LrSteps.Order()))
            errors.Add(new($"{path}.lrSteps", $"must be increasing and within (0, {MaxSteps}]"));
        if (WarmupSteps < 0) errors.Add(new($"{path}.warmupSteps", $"must be >= 0, was {WarmupSteps}"));
        if (WarmupFactor is <= 0 or > 1) errors.Add(new($"{path}.warmupFactor", $"must be in (0, 1], was {WarmupFactor}"));
        if (TrainMinSizes.Count == 0 || TrainMinSizes.Any(s => s <= 0)) errors.Add(new($"{path}.trainMinSizes", "must be positive sizes"));
        if (HorizontalFlipProbability is < 0 or > 1) errors.Add(new($"{path}.horizontalFlipProbability", "must be in [0, 1]"));
        if (CheckpointPeriod <= 0) errors.Add(new($"{path}.checkpointPeriod", $"must be > 0, was {CheckpointPeriod}"));
        if (GradientClipNorm < 0) errors.Add(new($"{path}.gradientClipNorm", $"must be >= 0 (0 never clips), was {GradientClipNorm}"));
        if (Proposals <= 0) errors.Add(new($"{path}.proposals", $"must be > 0, was {Proposals}"));
        return errors;
    }

    /// <summary>
    /// The appendix schedules: "1x" (COCO 90k, A.2-A.5), "0.5x" (COCO 45k), "3x" (COCO 270k = 36 epochs, steps at
    /// epochs 27 and 33: Sparse R-CNN, appendix E), "voc" (18k, shorter sides 480..800, A.2), all at the detector's
    /// base learning rate per 16 images: SGD at 0.02 for the R-CNNs, 0.01 for RetinaNet (A.3); and "cityscapes" (A.6:
    /// 24k steps of 8 images, x0.1 at 18k, learning rate 0.01, shorter sides 800..1024, test 1024, longer sides up to
    /// 2048, as detectron2's Cityscapes Mask R-CNN config). Sparse R-CNN trains with its authors' optimizer on every
    /// schedule: AdamW at 2.5e-5, weight decay 1e-4, gradients clipped to norm 1, warmup from 0.01, shorter sides
    /// 480..800.
    /// </summary>
    public static FinetuneOptions ForSchedule(string schedule, DetectorKind detector = DetectorKind.FasterRcnn)
    {
        var options = Schedule(schedule);
        return detector switch
        {
            DetectorKind.SparseRcnn => options with
            {
                Optimizer = FinetuneOptimizer.AdamW,
                BaseLearningRate = 2.5e-5,
                WeightDecay = 1e-4,
                GradientClipNorm = 1.0,
                WarmupFactor = 0.01,
                TrainMinSizes = schedule == "cityscapes" ? options.TrainMinSizes : SparseRcnnMinSizes,
            },
            _ when schedule == "cityscapes" => options,
            DetectorKind.RetinaNet => options with { BaseLearningRate = 0.01 },
            _ => options with { BaseLearningRate = 0.02 },
        };
    }

    /// <summary>The schedule names <see cref="ForSchedule"/> knows.</summary>
    public static IReadOnlyList<string> Schedules { get; } = ["1x", "0.5x", "3x", "voc", "cityscapes"];

    private static readonly IReadOnlyList<int> SparseRcnnMinSizes = Enumerable.Range(0, 11).Select(i => 480 + 32 * i).ToList();

    private static FinetuneOptions Schedule(string schedule) => schedule switch
    {
        "1x" => new FinetuneOptions(),
        "0.5x" => new FinetuneOptions { MaxSteps = 45_000, LrSteps = [30_000, 40_000] },
        "3x" => new FinetuneOptions { MaxSteps = 270_000, LrSteps = [202_500, 247_500] },
        "voc" => new FinetuneOptions
        {
            MaxSteps = 18_000,
            LrSteps = [12_000, 16_000],
            WarmupSteps = 100,
            TrainMinSizes = [480, 512, 544, 576, 608, 640, 672, 704, 736, 768, 800],
        },
        "cityscapes" => new FinetuneOptions
        {
            BaseLearningRate = 0.01,
            ReferenceBatchSize = 8,
            ImagesPerStep = 8,
            MaxSteps = 24_000,
            LrSteps = [18_000],
            TrainMinSizes = [800, 832, 864, 896, 928, 960, 992, 1024],
            TestMinSize = 1024,
            MaxSize = 2048,
        },
        _ => throw new ArgumentException($"unknown schedule '{schedule}'; expected {string.Join(", ", Schedules)}", nameof(schedule)),
    };

    /// <summary>Multiplier of <see cref="LearningRate"/> at <paramref name="step"/>: linear warmup, then steps of gamma.</summary>
    public double LearningRateFactor(long step)
    {
        double warmup = step >= WarmupSteps ? 1.0 : WarmupFactor + (1 - WarmupFactor) * step / WarmupSteps;
        int decays = LrSteps.Count(s => step >= s);
        return warmup * Math.Pow(Gamma, decays);
    }
}
