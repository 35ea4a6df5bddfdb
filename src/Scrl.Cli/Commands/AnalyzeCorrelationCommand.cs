using System.ComponentModel;
using System.Text;
using System.Text.Json;
using Scrl.Cli.Analysis;
using Scrl.Cli.Datasets;
using Scrl.Core.IO;
using Scrl.Pipeline.Reports.Correlation;
using Scrl.Pipeline.Specs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Scrl.Cli.Commands;

/// <summary>
/// <c>scrl analyze correlation &lt;sweep id | run folders...&gt;</c>: pairs each run's protocol top-1 (RoI linear, image
/// linear) with its fine-tuning AP, and writes Pearson's r with a bootstrap interval, the regression line and its
/// confidence band as correlation.json, correlation.md and correlation.png (SCRL Figure A1).
/// </summary>
public sealed class AnalyzeCorrelationCommand(IAnsiConsole console) : AsyncCommand<AnalyzeCorrelationCommand.Settings>
{
    public sealed class Settings : StorageSettings
    {
        [CommandArgument(0, "<SWEEP|RUNS>")]
        [Description("Local run folders (a pipeline run folder with report.json, or a folder holding roi-eval.json, linear-eval.json " +
                     "and scrl finetune output), or, with --store, one sweep id or run ids.")]
        public string[] Targets { get; init; } = [];

        [CommandOption("--store <DIR|URL>")]
        [Description("The pipeline's artifact store (a folder, or a blob container URL such as the emulator's) holding sweeps/ and runs/.")]
        public string? Store { get; init; }

        [CommandOption("--downstream <METRIC>")]
        [Description("The fine-tuning AP on the y axis, e.g. finetune-faster-rcnn-coco-det-1x.AP; needed only when runs have several.")]
        public string? Downstream { get; init; }

        [CommandOption("--resamples <N>")]
        [Description("Bootstrap draws for the interval of r.")]
        [DefaultValue(10_000)]
        public int Resamples { get; init; } = 10_000;

        [CommandOption("--seed <SEED>")]
        [Description("Seeds the bootstrap.")]
        [DefaultValue(0)]
        public int Seed { get; init; }

        [CommandOption("-o|--out <DIR>")]
        [Description("Where correlation.json, .md and .png go (default runs/correlation).")]
        public string? Output { get; init; }

        public override ValidationResult Validate() =>
            Targets.Length == 0 ? ValidationResult.Error("name a sweep id (with --store) or run folders")
            : Resamples < 100 ? ValidationResult.Error("--resamples must be at least 100")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        IReadOnlyList<RunScores> runs = await LoadAsync(settings, cancellationToken);
        var analysis = CorrelationAnalysis.Build(runs, settings.Downstream,
                                                 new CorrelationOptions { Resamples = settings.Resamples, Seed = settings.Seed });
        string folder = settings.Output ?? Path.Combine("runs", "correlation");
        Directory.CreateDirectory(folder);
        string png = Path.Combine(folder, "correlation.png");
        AtomicFile.WriteAllBytes(Path.Combine(folder, "correlation.json"), JsonSerializer.SerializeToUtf8Bytes(analysis, SpecJson.Options));
        AtomicFile.WriteAllBytes(Path.Combine(folder, "correlation.md"), Encoding.UTF8.GetBytes(CorrelationMarkdown.Render(analysis)));
        AtomicFile.WriteAllBytes(png, CorrelationPlot.RenderPng(analysis));

        var table = new Table().Title($"Protocol top-1 vs {analysis.Downstream} ({runs.Count} runs)")
            .AddColumns("protocol", "runs", "Pearson r", "bootstrap CI", "slope", "intercept");
        foreach (var p in analysis.Protocols)
            table.AddRow(p.Protocol.Name, p.Points.Count.ToString(), p.PearsonR?.ToString("F4") ?? "n/a",
                         p.Interval is { } i ? Markup.Escape(FormattableString.Invariant($"[{i.Low:F3}, {i.High:F3}]")) : "–",
                         p.Fit?.Slope.ToString("G5") ?? "–", p.Fit?.Intercept.ToString("G5") ?? "–");
        console.Write(table);
        foreach (string note in analysis.Notes) console.MarkupLineInterpolated($"[yellow]{note}[/]");
        console.MarkupLineInterpolated($"wrote {folder}/correlation.json, correlation.md and {png}");
        return 0;
    }

    private static async Task<IReadOnlyList<RunScores>> LoadAsync(Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Store is null)
        {
            var missing = settings.Targets.Where(t => !Directory.Exists(t)).ToList();
            if (missing.Count > 0)
                throw new ArgumentException($"{string.Join(", ", missing)}: not a run folder; to read a sweep or runs from the pipeline's store, pass --store <dir|url>");
            return [.. settings.Targets.Select(RunFolderScores.Read)];
        }
        var store = await StorageLocation.Parse(settings.Store).OpenStoreAsync(settings.ConnectionString, cancellationToken);
        if (settings.Targets is [var single] && await store.ExistsAsync($"sweeps/{single}/leaderboard.json", cancellationToken))
            return await SweepRunScores.LoadSweepAsync(store, single, cancellationToken);
        var runs = await SweepRunScores.LoadRunsAsync(store, settings.Targets, cancellationToken);
        var found = runs.Select(r => r.RunId).ToHashSet();
        var absent = settings.Targets.Where(t => !found.Contains(t)).ToList();
        if (absent.Count > 0)
            throw new FileNotFoundException($"{settings.Store} has neither a sweep leaderboard nor a run report for: {string.Join(", ", absent)}");
        return runs;
    }
}
