using Scrl.Core.Configuration;
using Scrl.Core.Data.Coco;
using Scrl.Core.Training;

namespace Scrl.Core.Evaluation;

/// <summary>
/// Runs a fixed small C5 RoI evaluation of the current online encoder every N steps and writes
/// <c>roi_eval/top1</c>, <c>roi_eval/mean_class_acc</c> and <c>roi_eval/top1_{small,medium,large}</c> to the run's
/// metrics (JSONL and TensorBoard). The RoIs are drawn once, so every evaluation of a run sees the same boxes.
/// It draws no torch random numbers and restores the encoder's mode, so the pretraining run is unchanged.
/// </summary>
public sealed class OnlineRoiEvalHook : IPretrainHook
{
    private readonly int _everySteps;
    private readonly RoiEvaluator _evaluator;
    private readonly RoiEvalData _data;

    public OnlineRoiEvalHook(int everySteps, RoiEvalData data, RoiEvalOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(everySteps, 1);
        ArgumentNullException.ThrowIfNull(data);
        _everySteps = everySteps;
        _data = data;
        _evaluator = new RoiEvaluator(options with { Variant = RoiEvalVariant.C5, CacheDirectory = "" });
    }

    /// <summary>The hook <paramref name="config"/> asks for, if any (reads the labelled splits now).</summary>
    public static IEnumerable<IPretrainHook> FromConfig(PretrainConfig config)
    {
        var online = config.OnlineRoiEval;
        if (online.EverySteps <= 0) yield break;
        var options = new RoiEvalOptions
        {
            ImageSize = online.ImageSize > 0 ? online.ImageSize : config.Augment.InputSize,
            Epochs = online.Epochs,
            MaxRoisPerSplit = online.MaxRoisPerSplit,
            Seed = config.Run.Seed,
            NormalizeMean = config.Augment.NormalizeMean,
            NormalizeStd = config.Augment.NormalizeStd,
        };
        var data = RoiEvalData.Load(CocoSplitLocation.Parse(online.Source, CocoLayout.Train),
                                    CocoSplitLocation.Parse(online.Source, CocoLayout.Val), options);
        yield return new OnlineRoiEvalHook(online.EverySteps, data, options);
    }

    public void AfterStep(PretrainHookContext context)
    {
        if (context.Step % _everySteps != 0) return;
        var report = _evaluator.Run(context.Learner.Online.Encoder, $"online@{context.Step}", cacheIdentity: null,
                                    _data.Train, _data.Val, _data.Categories, cancellationToken: context.CancellationToken);
        var scalars = new Dictionary<string, double>
        {
            ["roi_eval/top1"] = report.Scores.Top1,
            ["roi_eval/mean_class_acc"] = report.Scores.MeanPerClassAccuracy,
            ["roi_eval/seconds"] = report.ExtractSeconds + report.HeadSeconds,
        };
        foreach (var size in report.Scores.BySize)
            if (size.Top1 is { } top1) scalars[$"roi_eval/top1_{size.Bucket.ToString().ToLowerInvariant()}"] = top1;
        context.Metrics.Write(context.Step, scalars);
    }
}
