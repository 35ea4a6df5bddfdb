using System.ComponentModel;
using Scrl.Detection.Evaluation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Scrl.Cli.Commands;

/// <summary><c>scrl evaluate --gt instances.json --dets results.json</c>: pycocotools-exact bbox AP of any detector's results file.</summary>
public sealed class EvaluateCommand : Command<EvaluateCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--gt <PATH>")]
        [Description("COCO instances json (ground truth).")]
        public string GroundTruth { get; init; } = "";

        [CommandOption("--dets <PATH>")]
        [Description("COCO results json: [{image_id, category_id, bbox: [x, y, w, h], score}].")]
        public string Detections { get; init; } = "";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.GroundTruth.Length == 0 || settings.Detections.Length == 0)
            throw new ArgumentException("evaluate needs --gt <instances.json> and --dets <results.json>");
        var stats = new CocoEvaluator().Evaluate(settings.GroundTruth, settings.Detections);
        AnsiConsole.WriteLine(stats.FormatSummary());
        return 0;
    }
}
