using Scrl.Core;
using Scrl.Core.Data.Coco;
using Scrl.Core.Evaluation;
using Scrl.Core.Models;
using Spectre.Console;

namespace Scrl.Cli.Commands;

/// <summary>Loads the splits once and evaluates backbones on them under a Spectre progress display (RoI and image-level protocols).</summary>
internal sealed class RoiEvalRunner(RoiEvalOptions options, ResNetVariant? architecture, string device, IAnsiConsole console)
{
    public RoiEvalRunner(RoiEvalSettings settings, IAnsiConsole console)
        : this(settings.BuildOptions(), settings.Architecture, settings.Device, console)
    {
        Train = settings.Train;
        Val = settings.Val;
    }

    public RoiEvalOptions Options { get; } = options;

    private string Train { get; } = "";

    private string Val { get; } = "";

    /// <summary>The COCO-format splits of the RoI protocol, from the settings this runner was made with.</summary>
    public RoiEvalData LoadData()
    {
        var data = RoiEvalData.Load(CocoSplitLocation.Parse(Train, CocoLayout.Train), CocoSplitLocation.Parse(Val, CocoLayout.Val), Options);
        console.MarkupLine(Markup.Escape(
            $"{data.Categories.Count} categories; train {data.Train.RoiCount} RoIs in {data.Train.Images.Count} images " +
            $"({data.Train.CrowdExcluded} crowd, {data.Train.DegenerateSkipped} degenerate skipped); val {data.Val.RoiCount} RoIs " +
            $"({data.Val.CrowdExcluded} crowd, {data.Val.DegenerateSkipped} degenerate skipped)"));
        return data;
    }

    /// <summary>Loads <paramref name="spec"/> and evaluates it, with a progress bar per phase.</summary>
    public RoiEvalReport Evaluate(string spec, RoiEvalData data, CancellationToken cancellationToken)
    {
        using var backbone = EvalBackbone.Load(spec, architecture, Options.Seed, Devices.Parse(device));
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
