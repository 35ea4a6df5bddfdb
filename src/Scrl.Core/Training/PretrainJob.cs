using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Scrl.Core.Configuration;
using Scrl.Core.Data;
using Scrl.Core.Data.Loading;
using Scrl.Core.Evaluation;
using Scrl.Core.IO;
using Scrl.Core.Models;
using Scrl.Core.Optim;
using Scrl.Core.Training.Checkpoints;
using Scrl.Core.Training.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace Scrl.Core.Training;

/// <summary>
/// A whole SCRL/BYOL pretraining run: builds the learner, optimizer, schedules and loader from one config,
/// resumes from the run folder's latest checkpoint if there is one, trains, and checkpoints every N steps,
/// at the end, and when cancelled. The same class runs from the CLI, a worker process or a GPU container.
/// </summary>
public sealed class PretrainJob : IDisposable
{
    private const string LossMetric = "loss";

    private readonly PretrainConfig _config;
    private readonly IPretrainSampleSource _source;
    private readonly ILogger _log;
    private readonly string _configJson;
    private readonly PretrainDataLoader<TwoViewBatch> _loader;
    private readonly ScrlTrainer _trainer;
    private readonly CheckpointStore _checkpoints;
    private readonly IReadOnlyList<IPretrainHook> _hooks;

    /// <param name="hooks">Called after every step, after the hooks the config asks for (online RoI eval).</param>
    public PretrainJob(PretrainConfig config, IPretrainSampleSource source, string runDirectory, Device device, ILogger? logger = null,
                       IEnumerable<IPretrainHook>? hooks = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(source);
        var errors = config.Validate();
        if (errors.Count > 0) throw new ConfigException(errors);
        if (config.Network.NumClasses > 0 && !source.HasLabels)
            throw new ConfigException([new("network.numClasses", $"the online classifier needs labels, but {source.Description} has none")]);
        if (config.Network.NumClasses > 0 && source.ClassNames.Count > config.Network.NumClasses)
            throw new ConfigException([new("network.numClasses", $"is {config.Network.NumClasses}, but {source.Description} has {source.ClassNames.Count} classes")]);

        _config = config;
        _source = source;
        _log = logger ?? NullLogger.Instance;
        _configJson = ConfigLoader.ToJson(config);
        Layout = new RunLayout(runDirectory);

        _loader = PretrainDataLoader.Create(source, new PretrainDataLoaderOptions
        {
            BatchSize = config.Run.BatchSize,
            Seed = config.Run.Seed,
            DropLast = config.Data.DropLast,
            PrefetchBatches = config.Data.PrefetchBatches,
            DecodeWorkers = config.Data.DecodeWorkers,
        }, TwoViewBatchBuilder.ForConfig(config).Build);

        _trainer = new ScrlTrainer(config, _loader.BatchesPerEpoch, device);
        _checkpoints = new CheckpointStore(Layout.Checkpoints, config.Run.KeepCheckpoints);
        long scheduled = _trainer.LearningRate.TotalSteps;
        TotalSteps = config.Run.MaxSteps > 0 ? Math.Min(config.Run.MaxSteps, scheduled) : scheduled;
        _hooks = [.. OnlineRoiEvalHook.FromConfig(config), .. hooks ?? []];
    }

    public RunLayout Layout { get; }

    public long TotalSteps { get; }

    public ScrlLearner Learner => _trainer.Learner;

    public int BatchesPerEpoch => _loader.BatchesPerEpoch;

    public async Task<PretrainOutcome> RunAsync(IProgress<PretrainProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Layout.Root);
        var (position, resumed) = Resume();
        long step = StepOf(position);
        AtomicFile.WriteAllBytes(Layout.Config, Encoding.UTF8.GetBytes(_configJson));

        // Rows up to the checkpoint's step are kept; anything logged after it belongs to the lost tail of the run.
        using var sinks = new CompositeMetricSink([new JsonlMetricSink(Layout.Metrics, resumeStep: step + 1),
                                                   new TensorBoardEventSink(Layout.TensorBoard, purgeStep: step + 1)]);
        var window = new MetricWindow();
        string? lastCheckpoint = resumed?.Path;
        int skipped = 0;
        bool cancelled = false;
        var clock = Stopwatch.StartNew();
        _log.LogInformation("Pretraining {Method} {Backbone} on {Source}: step {Step} of {Total}",
                            _config.Method, _config.Network.Backbone, _source.Description, step, TotalSteps);
        try
        {
            if (step < TotalSteps)
            {
                await foreach (var batch in _loader.ReadAsync(position, _config.Run.Epochs, cancellationToken))
                {
                    double dataSeconds = clock.Elapsed.TotalSeconds;
                    using (batch)
                    {
                        if (_config.Method.UsesBoxes() && batch.Rois is null)
                            skipped++;                                 // no box pair in the whole batch: nothing to learn from
                        else
                            window.Add(_trainer.Step(batch, step), batch, dataSeconds, clock.Elapsed.TotalSeconds);
                    }
                    step++;
                    position = batch.Position.Next(_loader.BatchesPerEpoch);
                    clock.Restart();

                    // Before a flush, which empties the window and with it the rate.
                    if (window.Last is { } last)
                        progress?.Report(new PretrainProgress(step, TotalSteps, position.Epoch, last.Loss, last.LearningRate,
                                                              last.EmaMomentum, window.PairsPerSecond));
                    if (window.Count > 0 && (step % _config.Run.LogEverySteps == 0 || step == TotalSteps))
                        sinks.Write(step, window.Flush(skipped));
                    foreach (var hook in _hooks)
                        hook.AfterStep(new PretrainHookContext(step, _trainer.Learner, sinks, cancellationToken));
                    if (step % _config.Run.CheckpointEverySteps == 0 && step < TotalSteps)
                        lastCheckpoint = Save(step, position, window.LastLoss);
                    if (step >= TotalSteps) break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
            _log.LogWarning("Pretraining cancelled at step {Step}; writing a checkpoint", step);
        }
        sinks.Flush();
        // No step since the resumed checkpoint (a finished run started again, or cancelled at once): it stays the last.
        double? loss = window.HasLoss ? window.LastLoss : resumed?.Loss;
        if (loss is { } value && !double.IsFinite(value)) loss = null;   // json has no NaN; metrics.jsonl keeps it
        if (lastCheckpoint is null || CheckpointStore.NameOf(step) != Path.GetFileNameWithoutExtension(lastCheckpoint))
            lastCheckpoint = Save(step, position, loss);
        var outcome = new PretrainOutcome(!cancelled, step, lastCheckpoint, loss, skipped);
        AtomicFile.WriteAllBytes(Layout.Summary, JsonSerializer.SerializeToUtf8Bytes(outcome, ScrlJson.Options));
        return outcome;
    }

    /// <summary>Loads the latest checkpoint, if any: where the data resumes, and which checkpoint (with its loss) it was.</summary>
    private (LoaderPosition Position, ResumedCheckpoint? Checkpoint) Resume()
    {
        using var checkpoint = _checkpoints.LoadLatest();
        if (checkpoint is null) return (LoaderPosition.Start, null);
        RunFolderConflictException.ThrowIfOtherConfig(checkpoint, ConfigHash());
        _trainer.LoadStateTensors(checkpoint.Tensors);
        _log.LogInformation("Resumed from {Checkpoint} at step {Step}", checkpoint.Path, checkpoint.Meta.Step);
        double? loss = checkpoint.Meta.Metrics.TryGetValue(LossMetric, out double value) ? value : null;
        return (new LoaderPosition(checkpoint.Meta.Epoch, checkpoint.Meta.BatchInEpoch), new ResumedCheckpoint(checkpoint.Path, loss));
    }

    private sealed record ResumedCheckpoint(string Path, double? Loss);

    private string Save(long step, LoaderPosition next, double? loss)
    {
        var meta = new CheckpointMeta
        {
            Step = step,
            Epoch = next.Epoch,
            BatchInEpoch = next.BatchIndex,
            Method = _config.Method.ToString(),
            Backbone = _config.Network.Backbone.ToString(),
            ConfigHash = ConfigHash(),
            CreatedUtc = DateTimeOffset.UtcNow,
            Metrics = loss is { } value ? new Dictionary<string, double> { [LossMetric] = value } : new Dictionary<string, double>(),
        };
        var path = _checkpoints.Save(_trainer.StateTensors(), meta);
        _log.LogInformation("Checkpoint {Path}", path);
        return path;
    }

    private long StepOf(LoaderPosition position) => (long)position.Epoch * _loader.BatchesPerEpoch + position.BatchIndex;

    // Run length, logging cadence and the data's location may change on resume; whatever shapes the math may not.
    private string ConfigHash()
    {
        var shaping = _config with { Run = _config.Run with { MaxSteps = 0, LogEverySteps = 1, CheckpointEverySteps = 1, KeepCheckpoints = 0 },
                                     Data = _config.Data with { Source = "", DecodeWorkers = 1, PrefetchBatches = 1 },
                                     OnlineRoiEval = new() };
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ConfigLoader.ToJson(shaping))));
    }

    public void Dispose() => _trainer.Dispose();
}
