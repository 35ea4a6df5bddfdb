using Scrl.Core.Evaluation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Scrl.Cli.Commands;

/// <summary><c>scrl roi-eval --backbone X --train T --val V</c>: one backbone, JSON report and size chart.</summary>
public sealed class RoiEvalCommand(IAnsiConsole console) : Command<RoiEvalSettings>
{
    private const string DefaultOutput = "runs/roi-eval";

    public override int Execute(CommandContext context, RoiEvalSettings settings, CancellationToken cancellationToken)
    {
        var runner = new RoiEvalRunner(settings, console);
        var data = runner.LoadData();
        var report = runner.Evaluate(settings.Backbone ?? EvalBackbone.RandomSpec, data, cancellationToken);
        var (json, chart) = RoiEvalReportWriter.Write(report, settings.Output ?? DefaultOutput);

        var s = report.Scores;
        console.MarkupLineInterpolated($"[bold]{report.Backbone}[/] ({report.Architecture}, {report.Variant}): top-1 [green]{s.Top1:P2}[/], mean per-class {s.MeanPerClassAccuracy:P2}");
        console.MarkupLineInterpolated($"by size: {string.Join(", ", s.BySize.Select(b => $"{b.Bucket} {(b.Top1 is { } v ? v.ToString("P1") : "n/a")} ({b.Count})"))}");
        foreach (var c in s.TopConfusions.Take(5))
            console.MarkupLineInterpolated($"  confused: {c.TrueName} ({c.TrueCategoryId}) -> {c.PredictedName} ({c.PredictedCategoryId}) x{c.Count}");
        console.MarkupLineInterpolated($"extract {report.ExtractSeconds:F1} s{(report.TrainFeaturesFromCache ? " (train features cached)" : "")}, head {report.HeadSeconds:F1} s; report {json}, chart {chart}");
        return 0;
    }
}
