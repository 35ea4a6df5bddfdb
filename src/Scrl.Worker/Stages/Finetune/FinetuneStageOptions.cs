using Scrl.Core.Configuration;
using Scrl.Detection;
using Scrl.Detection.Training;
using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Specs;

namespace Scrl.Worker.Stages.Finetune;

/// <summary>A fine-tuning job's options resolved for the worker: the job spec, less the backbone it downloads.</summary>
/// <param name="Pretrained">Artifact name of the pretrain stage's newest checkpoint.</param>
public sealed record FinetuneStageOptions(FinetuneSpec Spec, string Pretrained)
{
    public static (FinetuneStageOptions? Options, IReadOnlyList<string> Problems) Parse(string json)
    {
        (StageJobOptions.Finetune? job, string? problem) = StageOptions.Parse<StageJobOptions.Finetune>(json, "finetune");
        if (job is null) return (null, [problem!]);
        var problems = new List<string>();
        string? pretrained = PretrainedCheckpoint.Newest(job.Pretrained);
        if (pretrained is null) problems.Add("pretrained lists no checkpoint (.../checkpoints/step-N.ckpt) from the pretrain stage");

        // The spec's names are the fine-tuning library's names.
        var task = FinetuneTasks.Parse(FinetuneTaskSpec.JsonName(job.Task));
        var detector = DetectorKinds.Parse(FinetuneTaskSpec.JsonName(job.Detector));
        string trainRoot = SplitLocation.LocalPath(job.Train), valRoot = SplitLocation.LocalPath(job.Val);
        foreach ((string name, string root) in new[] { ("train", trainRoot), ("val", valRoot) })
        {
            if (!Directory.Exists(root)) problems.Add($"{name}: '{root}' is not a folder this worker can read");
        }

        FinetuneOptions? training = null;
        try
        {
            training = ConfigLoader.Override(FinetuneOptions.ForSchedule(FinetuneTaskSpec.JsonName(job.Schedule), detector), StageOptions.Assignments(job.Overrides), o => o.Validate(""));
        }
        catch (ConfigException ex)
        {
            problems.AddRange(ex.Errors.Select(e => $"overrides: {e}"));
        }
        if (problems.Count > 0) return (null, problems);
        var spec = new FinetuneSpec
        {
            Detector = detector,
            Task = task,
            Train = DetectionSplit.Train(task, trainRoot),
            Val = DetectionSplit.Val(task, valRoot),
            Training = training!,
        };
        return (new FinetuneStageOptions(spec, pretrained!), []);
    }
}
