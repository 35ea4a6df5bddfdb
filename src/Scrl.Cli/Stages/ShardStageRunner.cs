using System.Text.Json;
using Microsoft.Extensions.Logging;
using Scrl.Cli.Datasets;
using Scrl.Core.Data.Datasets;
using Scrl.Core.Data.Shards;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Specs;
using Scrl.Worker.Stages;
using CoreFormat = Scrl.Core.Data.Datasets.DatasetFormat;
using SpecFormat = Scrl.Pipeline.Specs.DatasetFormat;

namespace Scrl.Cli.Stages;

/// <summary>
/// The shard stage of a run: validates the spec's dataset (a path or <c>file://</c> URI the worker can read) and
/// publishes it as tar shards under <c>datasets/{hash}/shards/</c> with <see cref="ShardPublisher"/>, which reuses a
/// set already there. Safe to repeat: the set is content-addressed and its index is written last. Lives in the CLI
/// because <see cref="ShardPublisher"/> does; the worker host (<c>scrl worker</c>) registers it.
/// </summary>
public sealed class ShardStageRunner(ILogger<ShardStageRunner> log) : IStageRunner
{
    public StageKind Stage => StageKind.Shard;

    public IReadOnlyList<string> Validate(JobMessage job)
    {
        ArgumentNullException.ThrowIfNull(job);
        (_, IReadOnlyList<string> problems) = Parse(job.OptionsJson);
        return problems;
    }

    public async Task<JobOutcome> RunAsync(StageContext context, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        JobMessage job = context.Job;
        (string root, CoreFormat format) = Parse(job.OptionsJson).Source
            ?? throw new ArgumentException($"Job '{job.JobId}' has invalid options; validate before running.", nameof(context));

        ImageDataset dataset = DatasetReaders.Read(format, root, split: "train");
        if (dataset.Records.Count == 0)
            return new JobOutcome(job.JobId, JobStatus.Failed, $"{dataset.Description}: no valid images to shard.", new Dictionary<string, double>(), []);

        // Validates as it writes (a bad record fails the job listing every problem, as a separate pass would).
        var progress = new ShardProgress(job.JobId, dataset.Records.Count, context.Progress);
        PublishedShards published = await ShardPublisher.ValidateAndPublishAsync(
            dataset, new DatasetValidationOptions(), context.Store, "store", root: "", new ShardWriterOptions(), progress, stoppingToken).ConfigureAwait(false);
        log.LogInformation("Shard set {Prefix}: {Samples} samples in {Shards} shards ({Reused})", published.Prefix,
                           published.Index.SampleCount, published.Index.Shards.Count, published.Reused ? "reused" : "written");

        var metrics = new Dictionary<string, double> { ["samples"] = published.Index.SampleCount, ["shards"] = published.Index.Shards.Count };
        // The set's files, index first: the pretrain stage finds its prefix from the index's name.
        string[] artifacts = [published.Prefix + ShardFormat.IndexName, .. published.Index.Shards.Select(s => published.Prefix + s.Name)];
        return new JobOutcome(job.JobId, JobStatus.Succeeded, null, metrics, artifacts);
    }

    private static ((string Root, CoreFormat Format)? Source, IReadOnlyList<string> Problems) Parse(string json)
    {
        StageJobOptions.Shard? options;
        try
        {
            options = JsonSerializer.Deserialize<StageJobOptions.Shard>(json, SpecJson.Options);
        }
        catch (JsonException ex)
        {
            return (null, [$"options are not valid shard options JSON: {ex.Message}"]);
        }
        if (options?.Dataset is not { } dataset) return (null, ["options need a dataset"]);
        var problems = dataset.Validate("dataset").Select(e => e.ToString()).ToList();
        string root = SplitLocation.LocalPath(dataset.Source);
        if (!Path.IsPathRooted(root))
            problems.Add($"dataset.source '{dataset.Source}': this worker shards local folders only (an absolute path or file:// URI); publish remote datasets with `scrl shard`");
        else if (!Directory.Exists(root))
            problems.Add($"dataset.source '{root}' is not a folder this worker can read");
        CoreFormat format = dataset.Format switch
        {
            SpecFormat.Coco => CoreFormat.Coco,
            SpecFormat.Voc => CoreFormat.Voc,
            SpecFormat.ImageFolder => CoreFormat.ImageFolder,
            _ => CoreFormat.Cityscapes,
        };
        return (problems.Count == 0 ? (root, format) : null, problems);
    }

    private sealed class ShardProgress(string jobId, int samples, IProgress<Pipeline.Jobs.JobProgress> target) : IProgress<ShardPublishProgress>
    {
        public void Report(ShardPublishProgress value) => target.Report(new Pipeline.Jobs.JobProgress(
            jobId, value.Write.SamplesWritten, samples, new Dictionary<string, double> { ["shards"] = value.Write.ShardsWritten }));
    }
}
