using Microsoft.Extensions.Logging;
using Scrl.Core;
using Scrl.Core.Configuration;
using Scrl.Core.Data.Coco;
using Scrl.Core.Evaluation;
using Scrl.Core.Models;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Specs;
using JobProgress = Scrl.Pipeline.Jobs.JobProgress;

namespace Scrl.Worker.Stages.RoiEval;

/// <summary>
/// The RoI linear evaluation stage: the pretrain stage's newest checkpoint and each baseline (<c>random</c>, or a
/// checkpoint's artifact name) go through Scrl.Core's <see cref="RoiEvaluator"/> on labelled splits the worker reads.
/// Each backbone's <c>roi-eval.json</c> and size chart land under <c>{prefix}{pretrained|baseline-N}/</c>. Safe to
/// repeat: nothing is written before a backbone is done, and cached features are keyed by backbone and split.
/// </summary>
public sealed class RoiEvalStageRunner(string device, ILogger<RoiEvalStageRunner> log) : IStageRunner
{
    public StageKind Stage => StageKind.RoiEval;

    public IReadOnlyList<string> Validate(JobMessage job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return Parse(job.OptionsJson).Problems;
    }

    public async Task<JobOutcome> RunAsync(StageContext context, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        JobMessage job = context.Job;
        (StageJobOptions.RoiEval? options, RoiEvalOptions? protocol, _) = Parse(job.OptionsJson);
        if (options is null || protocol is null)
            throw new ArgumentException($"Job '{job.JobId}' has invalid options; validate before running.", nameof(context));
        string folder = ArtifactFiles.FreshJobFolder(context);
        protocol = protocol with { CacheDirectory = Path.Combine(context.WorkDirectory, "roi-features") };

        var backbones = new List<(string Slug, string Spec)>
        {
            ("pretrained", await PretrainedCheckpoint.DownloadAsync(context.Store, PretrainedCheckpoint.Newest(options.Pretrained)!, folder, stoppingToken).ConfigureAwait(false)),
        };
        for (int i = 0; i < options.Baselines.Count; i++)
        {
            string baseline = options.Baselines[i];
            string spec = baseline == EvalBackbone.RandomSpec
                ? baseline
                : await PretrainedCheckpoint.DownloadAsync(context.Store, baseline, folder, stoppingToken).ConfigureAwait(false);
            backbones.Add(($"baseline-{i + 1}", spec));
        }

        var data = RoiEvalData.Load(CocoSplitLocation.Parse(SplitLocation.LocalPath(options.Train), CocoLayout.Train),
                                    CocoSplitLocation.Parse(SplitLocation.LocalPath(options.Val), CocoLayout.Val), protocol);
        log.LogInformation("RoI eval on {Categories} categories: train {TrainRois} RoIs, val {ValRois} RoIs, {Backbones} backbones",
                           data.Categories.Count, data.Train.RoiCount, data.Val.RoiCount, backbones.Count);

        var metrics = new Dictionary<string, double>();
        var artifacts = new List<string>();
        var variant = Enum.Parse<ResNetVariant>(options.Backbone.ToString());   // the spec names the same four ResNets
        for (int i = 0; i < backbones.Count; i++)
        {
            (string slug, string spec) = backbones[i];
            var progress = new StageProgress(job.JobId, i, backbones.Count, context.Progress);
            RoiEvalReport report = await Task.Run(() =>
            {
                using var backbone = EvalBackbone.Load(spec, spec == EvalBackbone.RandomSpec ? variant : null, protocol.Seed, Devices.Parse(device));
                return new RoiEvaluator(protocol).Run(backbone.Module, $"{slug}: {backbone.DisplayName}", backbone.Identity,
                                                      data.Train, data.Val, data.Categories, progress, stoppingToken);
            }, stoppingToken).ConfigureAwait(false);
            string output = Path.Combine(folder, "reports", slug);
            RoiEvalReportWriter.Write(report, output);
            artifacts.AddRange(await ArtifactFiles.UploadFolderAsync(context.Store, $"{job.ArtifactPrefix}{slug}/", output, stoppingToken).ConfigureAwait(false));
            string key = slug == "pretrained" ? "" : slug + ".";
            metrics[key + "top1"] = report.Scores.Top1;
            metrics[key + "meanPerClassAccuracy"] = report.Scores.MeanPerClassAccuracy;
            log.LogInformation("{Backbone}: top-1 {Top1:P2}, mean per-class {MeanPerClass:P2}", slug, report.Scores.Top1, report.Scores.MeanPerClassAccuracy);
        }
        return new JobOutcome(job.JobId, JobStatus.Succeeded, null, metrics, artifacts);
    }

    private static (StageJobOptions.RoiEval? Options, RoiEvalOptions? Protocol, IReadOnlyList<string> Problems) Parse(string json)
    {
        (StageJobOptions.RoiEval? options, string? problem) = StageOptions.Parse<StageJobOptions.RoiEval>(json, "roi-eval");
        if (options is null) return (null, null, [problem!]);
        var problems = new List<string>();
        if (PretrainedCheckpoint.Newest(options.Pretrained) is null)
            problems.Add("pretrained lists no checkpoint (.../checkpoints/step-N.ckpt) from the pretrain stage");
        foreach (string baseline in options.Baselines.Where(b => b != EvalBackbone.RandomSpec && !Pipeline.Artifacts.ArtifactName.IsValid(b)))
            problems.Add($"baseline '{baseline}' is neither 'random' nor an artifact name in the store");
        foreach ((string name, string location, string split) in new[] { ("train", options.Train, CocoLayout.Train), ("val", options.Val, CocoLayout.Val) })
            problems.AddRange(SplitProblems(name, SplitLocation.LocalPath(location), split));
        RoiEvalOptions? protocol = null;
        try
        {
            protocol = ConfigLoader.Override(new RoiEvalOptions(), StageOptions.Assignments(options.Overrides), o => o.Validate(""));
        }
        catch (ConfigException ex)
        {
            problems.AddRange(ex.Errors.Select(e => $"overrides: {e}"));
        }
        return problems.Count == 0 ? (options, protocol, []) : (null, null, problems);
    }

    // A missing split can never appear by retrying: reject the job at once, naming what is missing.
    private static IEnumerable<string> SplitProblems(string name, string location, string split)
    {
        CocoSplitLocation parsed;
        try
        {
            parsed = CocoSplitLocation.Parse(location, split);
        }
        catch (ArgumentException ex)
        {
            return [$"{name}: {ex.Message}"];
        }
        var problems = new List<string>();
        if (!File.Exists(parsed.AnnotationFile)) problems.Add($"{name}: annotation file '{parsed.AnnotationFile}' does not exist");
        if (!Directory.Exists(parsed.ImageFolder)) problems.Add($"{name}: image folder '{parsed.ImageFolder}' does not exist");
        return problems;
    }

    /// <summary>Reports the evaluation as one job-wide fraction in thousandths: backbone <c>index</c> of <c>count</c>.</summary>
    private sealed class StageProgress(string jobId, int index, int count, IProgress<JobProgress> target) : IProgress<RoiEvalProgress>
    {
        public void Report(RoiEvalProgress value) => target.Report(new JobProgress(
            jobId, (long)Math.Round(1000 * (index + value.Fraction) / count), 1000, new Dictionary<string, double>()));
    }
}
