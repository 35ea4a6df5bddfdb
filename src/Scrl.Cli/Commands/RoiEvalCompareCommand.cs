using System.ComponentModel;
using Scrl.Core.Evaluation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Scrl.Cli.Commands;

/// <summary><c>scrl roi-eval compare a.pth b.ckpt random</c>: every backbone on the same RoIs, one ranked table.</summary>
public sealed class RoiEvalCompareCommand(IAnsiConsole console) : Command<RoiEvalCompareCommand.Settings>
{
    public sealed class Settings : RoiEvalSettings
    {
        [CommandArgument(0, "<BACKBONES>")]
        [Description("Run folders, checkpoints, .pth files or 'random'.")]
        public string[] Backbones { get; init; } = [];

        public override ValidationResult Validate() =>
            Backbone is not null
                ? ValidationResult.Error("roi-eval compare takes its backbones as arguments, not --backbone")
                : base.Validate();
    }

    private const string DefaultOutput = "runs/roi-eval-compare";

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var runner = new RoiEvalRunner(settings, console);
        var data = runner.LoadData();
        var reports = new List<RoiEvalReport>();
        for (int i = 0; i < settings.Backbones.Length; i++)
        {
            var report = runner.Evaluate(settings.Backbones[i], data, cancellationToken);
            RoiEvalReportWriter.Write(report, Path.Combine(settings.Output ?? DefaultOutput, $"{i}-{Path.GetFileNameWithoutExtension(settings.Backbones[i])}"));
            reports.Add(report);
        }

        var table = new Table().Title($"RoI linear eval ({runner.Options.Variant}, {data.Val.RoiCount} val RoIs)")
            .AddColumns("rank", "backbone", "arch", "top-1", "mean class", "small", "medium", "large", "extract s", "head s");
        int rank = 1;
        // Each backbone as the user named it (the report keeps the resolved checkpoint path).
        foreach (var (r, named) in reports.Zip(settings.Backbones).OrderByDescending(p => p.First.Scores.Top1))
        {
            string Size(BoxSizeBucket b) => r.Scores.BySize.First(s => s.Bucket == b).Top1 is { } v ? v.ToString("P1") : "n/a";
            table.AddRow((rank++).ToString(), Markup.Escape(named), r.Architecture.ToString(), r.Scores.Top1.ToString("P2"),
                         r.Scores.MeanPerClassAccuracy.ToString("P2"), Size(BoxSizeBucket.Small), Size(BoxSizeBucket.Medium),
                         Size(BoxSizeBucket.Large), r.ExtractSeconds.ToString("F1"), r.HeadSeconds.ToString("F1"));
        }
        console.Write(table);
        return 0;
    }
}
