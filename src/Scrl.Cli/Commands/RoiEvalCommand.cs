using System.ComponentModel;
using Scrl.Core.Evaluation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Scrl.Cli.Commands;

/// <summary><c>scrl roi-eval --backbone X --train T --val V</c>: one backbone, JSON report and size chart.</summary>
public sealed class RoiEvalCommand(IAnsiConsole console) : Command<RoiEvalCommand.Settings>
{
    public sealed class Settings : RoiEvalSettings
    {
        [CommandOption("-b|--backbone <PATH|random>")]
        [Description("A run folder, our .ckpt, an official SCRL checkpoint, a torchvision .pth, or 'random'.")]
        [DefaultValue("random")]
        public string Backbone { get; init; } = EvalBackbone.RandomSpec;

        [CommandOption("-o|--out <DIR>")]
        [Description("Where roi-eval.json and roi-eval-by-size.png go.")]
        [DefaultValue("runs/roi-eval")]
        public string Output { get; init; } = "runs/roi-eval";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var runner = new RoiEvalRunner(settings, console);
        var data = runner.LoadData();
        var report = runner.Evaluate(settings.Backbone, data, cancellationToken);
        var (json, chart) = RoiEvalReportWriter.Write(report, settings.Output);

        var s = report.Scores;
        console.MarkupLineInterpolated($"[bold]{report.Backbone}[/] ({report.Architecture}, {report.Variant}): top-1 [green]{s.Top1:P2}[/], mean per-class {s.MeanPerClassAccuracy:P2}");
        console.MarkupLineInterpolated($"by size: {string.Join(", ", s.BySize.Select(b => $"{b.Bucket} {(b.Top1 is { } v ? v.ToString("P1") : "n/a")} ({b.Count})"))}");
        foreach (var c in s.TopConfusions.Take(5))
            console.MarkupLineInterpolated($"  confused: {c.TrueName} ({c.TrueCategoryId}) -> {c.PredictedName} ({c.PredictedCategoryId}) x{c.Count}");
        console.MarkupLineInterpolated($"extract {report.ExtractSeconds:F1} s{(report.TrainFeaturesFromCache ? " (train features cached)" : "")}, head {report.HeadSeconds:F1} s; report {json}, chart {chart}");
        return 0;
    }
}
