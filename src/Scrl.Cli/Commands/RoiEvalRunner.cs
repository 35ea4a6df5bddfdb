using Scrl.Core;
using Scrl.Core.Data.Coco;
using Scrl.Core.Evaluation;
using Spectre.Console;

namespace Scrl.Cli.Commands;

/// <summary>Loads the splits once and evaluates backbones on them under a Spectre progress display.</summary>
internal sealed class RoiEvalRunner(RoiEvalSettings settings, IAnsiConsole console)
{
    public RoiEvalOptions Options { get; } = settings.BuildOptions();

    public RoiEvalData LoadData()
    {
        var data = RoiEvalData.Load(CocoSplitLocation.Parse(settings.Train, CocoLayout.Train),
                                    CocoSplitLocation.Parse(settings.Val, CocoLayout.Val), Options);
        console.MarkupLine(Markup.Escape(
            $"{data.Categories.Count} categories; train {data.Train.RoiCount} RoIs in {data.Train.Images.Count} images " +
            $"({data.Train.CrowdExcluded} crowd, {data.Train.DegenerateSkipped} degenerate skipped); val {data.Val.RoiCount} RoIs " +
            $"({data.Val.CrowdExcluded} crowd, {data.Val.DegenerateSkipped} degenerate skipped)"));
        return data;
    }

    /// <summary>Loads <paramref name="spec"/> and evaluates it, with a progress bar per phase.</summary>
    public RoiEvalReport Evaluate(string spec, RoiEvalData data, CancellationToken cancellationToken)
    {
        using var backbone = EvalBackbone.Load(spec, settings.Architecture, Options.Seed, Devices.Parse(settings.Device));
        var evaluator = new RoiEvaluator(Options);
        return console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                var progress = new SynchronousProgress(p =>
                {
                    if (!tasks.TryGetValue(p.Phase, out var task))
                        tasks[p.Phase] = task = ctx.AddTask($"{backbone.DisplayName}: {p.Phase}", maxValue: 1.0);
                    task.Value = p.Fraction;
                });
                return evaluator.Run(backbone.Module, backbone.DisplayName, backbone.Identity, data.Train, data.Val,
                                     data.Categories, progress, cancellationToken);
            });
    }

    private sealed class SynchronousProgress(Action<RoiEvalProgress> report) : IProgress<RoiEvalProgress>
    {
        public void Report(RoiEvalProgress value) => report(value);
    }
}
