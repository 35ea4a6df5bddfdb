using Scrl.Cli.Supervision;
using Scrl.Core.Training;
using Spectre.Console;

namespace Scrl.Cli.Commands;

/// <summary>A live progress bar for a pretraining job: step, loss, lr, EMA momentum and img/s.</summary>
internal static class TrainingProgress
{
    public static Task<PretrainOutcome> RunAsync(PretrainJob job, CancellationToken cancellationToken) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                     new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask("pretrain", maxValue: job.TotalSteps);
                var progress = new Progress<PretrainProgress>(p =>
                {
                    task.Value = p.Step;
                    Breadcrumb.Leave($"pretraining {job.Layout.Root}, step {p.Step} of {job.TotalSteps} (epoch {p.Epoch})");
                    task.Description = $"ep {p.Epoch} loss {p.Loss:F4} lr {p.LearningRate:G3} {(p.EmaMomentum is { } m ? $"m {m:F4} " : "")}{p.PairsPerSecond:F1} img/s";
                });
                var outcome = await job.RunAsync(progress, cancellationToken);
                task.Value = outcome.Step;   // a resumed run that had nothing left to do reports no step
                return outcome;
            });
}
