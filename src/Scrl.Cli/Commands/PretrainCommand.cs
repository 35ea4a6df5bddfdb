using System.ComponentModel;
using Scrl.Core;
using Scrl.Core.Configuration;
using Scrl.Core.Data;
using Scrl.Core.Reporting;
using Scrl.Core.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Scrl.Cli.Commands;

public sealed class PretrainCommand : AsyncCommand<PretrainCommand.Settings>
{
    public sealed class Settings : PretrainSettings
    {
        [CommandOption("-o|--run-dir <DIR>")]
        [Description("Run folder (checkpoints, metrics, TensorBoard, report). An existing run with the same config resumes.")]
        [DefaultValue("runs/demo")]
        public string RunDirectory { get; init; } = "runs/demo";
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var config = ConfigLoader.Load(settings.Config, settings.Overrides);
        var device = Devices.Parse(settings.Device);
        if (string.IsNullOrWhiteSpace(config.Data.Source))
            config = config with { Data = config.Data with { Source = DemoData.EnsureGenerated(cancellationToken), Format = DataFormat.Coco } };
        var source = await PretrainDataSource.OpenAsync(config.Data, cancellationToken);

        using var job = new PretrainJob(config, source, settings.RunDirectory, device);
        AnsiConsole.MarkupLineInterpolated(
            $"[bold]{config.Method}[/] {config.Network.Backbone} on {source.Description}: {source.SamplesPerEpoch} images, batch {config.Run.BatchSize}, {job.TotalSteps} steps, device {device}");
        var outcome = await TrainingProgress.RunAsync(job, cancellationToken);
        RunReport.Write(job.Layout, await BoxPairReport.WriteAsync(job.Layout, config, source, cancellationToken: CancellationToken.None));

        AnsiConsole.Markup(outcome.Completed ? "[green]done[/]" : "[yellow]stopped[/]");
        AnsiConsole.MarkupLineInterpolated($" at step {outcome.Step}, loss {outcome.FinalLoss?.ToString("F4") ?? "n/a"}");
        var console = AnsiConsole.Console;
        console.WriteCopyable($"checkpoint   {Path.GetFullPath(outcome.LastCheckpoint)}");
        console.WriteCopyable($"metrics      {Path.GetFullPath(job.Layout.Metrics)}");
        console.WriteCopyable($"tensorboard  {Path.GetFullPath(job.Layout.TensorBoard)}");
        console.WriteCopyable($"report       {Path.GetFullPath(job.Layout.Report)}");
        return outcome.Completed ? 0 : 130;
    }
}
