using Scrl.Core.Configuration;
using Scrl.Core.Data.Datasets;
using Scrl.Detection.Training;
using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Specs;
using SpecDatasetFormat = Scrl.Pipeline.Specs.DatasetFormat;
using SpecTask = Scrl.Pipeline.Specs.FinetuneTask;

namespace Scrl.Worker.Stages.Finetune;

/// <summary>A fine-tuning job's options resolved for the worker: training options, data folders and splits, the backbone.</summary>
/// <param name="Pretrained">Artifact name of the pretrain stage's newest checkpoint.</param>
internal sealed record FinetuneStageOptions(
    FinetuneOptions Training, Core.Data.Datasets.DatasetFormat Format, string TrainRoot, string TrainSplit, string ValRoot, string ValSplit, string Pretrained)
{
    public static (FinetuneStageOptions? Options, IReadOnlyList<string> Problems) Parse(string json)
    {
        (StageJobOptions.Finetune? job, string? problem) = StageOptions.Parse<StageJobOptions.Finetune>(json, "finetune");
        if (job is null) return (null, [problem!]);
        var problems = new List<string>();
        string? pretrained = PretrainedCheckpoint.Newest(job.Pretrained);
        if (pretrained is null) problems.Add("pretrained lists no checkpoint (.../checkpoints/step-N.ckpt) from the pretrain stage");

        bool voc = job.Task == SpecTask.VocDetection;
        var format = voc ? Core.Data.Datasets.DatasetFormat.Voc : Core.Data.Datasets.DatasetFormat.Coco;
        (string trainSplit, string valSplit) = voc ? ("trainval", "test") : (Core.Data.Coco.CocoLayout.Train, Core.Data.Coco.CocoLayout.Val);
        string trainRoot = SplitLocation.LocalPath(job.Train), valRoot = SplitLocation.LocalPath(job.Val);
        foreach ((string name, string root) in new[] { ("train", trainRoot), ("val", valRoot) })
        {
            if (!Directory.Exists(root)) problems.Add($"{name}: '{root}' is not a folder this worker can read");
        }

        FinetuneOptions? training = null;
        try
        {
            training = ConfigLoader.Override(FinetuneOptions.ForSchedule(ScheduleName(job.Schedule)), StageOptions.Assignments(job.Overrides), o => o.Validate(""));
        }
        catch (ConfigException ex)
        {
            problems.AddRange(ex.Errors.Select(e => $"overrides: {e}"));
        }
        return problems.Count == 0
            ? (new FinetuneStageOptions(training!, format, trainRoot, trainSplit, valRoot, valSplit, pretrained!), [])
            : (null, problems);
    }

    private static string ScheduleName(FinetuneSchedule schedule) => schedule switch
    {
        FinetuneSchedule.HalfX => "0.5x",
        FinetuneSchedule.Voc => "voc",
        _ => "1x",
    };
}
