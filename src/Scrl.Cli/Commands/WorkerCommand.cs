using System.ComponentModel;
using Microsoft.Extensions.Logging;
using Scrl.Cli.Stages;
using Scrl.Cli.Supervision;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Outcomes;
using Scrl.Worker;
using Scrl.Worker.Stages;
using Scrl.Worker.Stages.Finetune;
using Scrl.Worker.Stages.Pretrain;
using Scrl.Worker.Stages.RoiEval;
using Spectre.Console.Cli;

namespace Scrl.Cli.Commands;

/// <summary><c>scrl worker</c>: receives stage jobs from a transport and runs them until stopped.</summary>
public sealed class WorkerCommand : AsyncCommand<WorkerCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--transport <KIND>")]
        [Description("memory (seed it with --enqueue), queue (Azure Storage queue) or servicebus.")]
        [DefaultValue("queue")]
        public string Transport { get; init; } = "queue";

        [CommandOption("--store <STORE>")]
        [Description("local:<dir>, or blob:<connection string or blob service URI> (a URI uses DefaultAzureCredential).")]
        public string Store { get; init; } = "";

        [CommandOption("--blob-checksum <ALGORITHM>")]
        [Description("Per-request transfer checksum: auto (CRC64) or md5 (Azurite 3.35 does not acknowledge CRC64 bodies).")]
        [DefaultValue("auto")]
        public string BlobChecksum { get; init; } = "auto";

        [CommandOption("--queue <NAME>")]
        [Description("Jobs queue name, repeatable: one worker serves every queue given, in turn (default: jobs). " +
                     "Dead-lettered jobs of a Storage queue go to <NAME>-poison.")]
        public string[] Queue { get; init; } = [];

        /// <summary>The queues to receive from: those given, or <c>jobs</c>.</summary>
        public IReadOnlyList<string> QueueNames => Queue.Length > 0 ? Queue : ["jobs"];

        [CommandOption("--queue-account <ACCOUNT>")]
        [Description("Storage connection string or queue service URI (default: the blob store's connection string).")]
        public string? QueueAccount { get; init; }

        [CommandOption("--servicebus <NAMESPACE>")]
        [Description("Service Bus connection string or fully qualified namespace (uses DefaultAzureCredential).")]
        public string? ServiceBus { get; init; }

        [CommandOption("--outcomes-queue <NAME>")]
        [Description("Storage queue for outcomes of jobs without a callback URI (queue transport only).")]
        [DefaultValue("outcomes")]
        public string OutcomesQueue { get; init; } = "outcomes";

        [CommandOption("--concurrency <N>")]
        [DefaultValue(1)]
        public int Concurrency { get; init; } = 1;

        [CommandOption("--max-deliveries <N>")]
        [DefaultValue(5)]
        public int MaxDeliveries { get; init; } = 5;

        [CommandOption("--work-dir <DIR>")]
        [Description("Local scratch folder for job run folders and downloaded datasets.")]
        [DefaultValue("work")]
        public string WorkDirectory { get; init; } = "work";

        [CommandOption("--lock-duration <SECONDS>")]
        [Description("Storage queue message lock; the heartbeat renews it, and a crashed worker's job returns after it.")]
        [DefaultValue(300)]
        public int LockDurationSeconds { get; init; } = 300;

        [CommandOption("--claim-lease <SECONDS>")]
        [Description("Lease of a job's blob claim (15-60); a crashed worker's claim frees after it.")]
        [DefaultValue(60)]
        public int ClaimLeaseSeconds { get; init; } = 60;

        [CommandOption("--heartbeat <SECONDS>")]
        [Description("How often the message lock is renewed and progress reported.")]
        [DefaultValue(20)]
        public int HeartbeatSeconds { get; init; } = 20;

        [CommandOption("--shutdown-grace <SECONDS>")]
        [Description("After SIGTERM or Ctrl+C, how long the last checkpoint upload and handing the job back may take; keep it " +
                     "under the host's kill deadline (infra/app/worker.bicep sets both).")]
        [DefaultValue(60)]
        public int ShutdownGraceSeconds { get; init; } = 60;

        [CommandOption("-d|--device <DEVICE>")]
        [Description("Where jobs run: cpu or cuda[[:n]] (a pretrain job that names a device runs there).")]
        [DefaultValue("cpu")]
        public string Device { get; init; } = "cpu";

        [CommandOption("--enqueue <JOB_JSON>")]
        [Description("A JobMessage JSON file to post before starting (repeatable); how a memory transport gets work.")]
        public string[] Enqueue { get; init; } = [];
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // The worker runs in a child process that this one restarts after a native crash, once the child's jobs are
        // failed with the cause: a job never waits out its lock and deadline because its process vanished.
        if (CommandSupervisor.ShouldSupervise(context.Arguments))
            return await CommandSupervisor.RunAsync(context.Arguments, (exitCode, _) => FailCrashedJobsAsync(settings, exitCode));

        // A container host's SIGTERM cancels this token as Ctrl+C does (Program.cs): running jobs checkpoint and are abandoned.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using ILoggerFactory loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => { o.IncludeScopes = true; o.SingleLine = true; }));
        await using WorkerServices services = WorkerServices.Create(settings, loggers);

        foreach (string file in settings.Enqueue)
            await services.Queues[0].SendAsync(JobJson.DeserializeJob(await File.ReadAllBytesAsync(file, stop.Token)), stop.Token);

        var options = new JobWorkerOptions
        {
            Concurrency = settings.Concurrency,
            MaxDeliveries = settings.MaxDeliveries,
            WorkDirectory = Path.GetFullPath(settings.WorkDirectory),
            ClaimLease = TimeSpan.FromSeconds(settings.ClaimLeaseSeconds),
            ClaimHeldRetryDelay = TimeSpan.FromSeconds(Math.Min(60, settings.ClaimLeaseSeconds)),
            HeartbeatInterval = TimeSpan.FromSeconds(settings.HeartbeatSeconds),
            ShutdownGrace = TimeSpan.FromSeconds(settings.ShutdownGraceSeconds),
        };
        IStageRunner[] runners =
        [
            new ShardStageRunner(loggers.CreateLogger<ShardStageRunner>()),
            new PretrainStageRunner(settings.Device, TimeSpan.FromSeconds(5), loggers),
            new RoiEvalStageRunner(settings.Device, loggers.CreateLogger<RoiEvalStageRunner>()),
            new FinetuneStageRunner(settings.Device, TimeSpan.FromSeconds(5), loggers.CreateLogger<FinetuneStageRunner>()),
        ];
        var worker = new JobWorker(services.Transport, services.Store, services.Outcomes, runners, options, loggers.CreateLogger<JobWorker>());
        loggers.CreateLogger<WorkerCommand>().LogInformation("Worker taking jobs from {Queues} ({Transport}), artifacts in {Store}; Ctrl+C or SIGTERM stops it",
                                                             string.Join(", ", settings.QueueNames), settings.Transport, services.StoreDescription);
        // Beside the jobs, the broker's dead letters: a job dead-lettered past its delivery limit fails its stage now.
        var deadLetters = new DeadLetterWatcher(services.DeadLetterSources, services.Store, services.Outcomes,
                                                loggers.CreateLogger<DeadLetterWatcher>());
        await Task.WhenAll(worker.RunAsync(stop.Token), deadLetters.RunAsync(stop.Token));
        return 0;
    }

    /// <returns>Whether to start the worker again: yes, unless its jobs could not be failed (then the process exits and
    /// its host restarts it).</returns>
    private static async Task<bool> FailCrashedJobsAsync(Settings settings, int exitCode)
    {
        using ILoggerFactory loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
        var log = loggers.CreateLogger<WorkerCommand>();
        string cause = ExitStatus.Describe(exitCode);
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await using WorkerServices services = WorkerServices.Create(settings, loggers);
            var failed = await CrashedJobs.FailAsync(Path.GetFullPath(settings.WorkDirectory), cause,
                                                     services.Store, services.Outcomes, log, deadline.Token);
            log.LogWarning("Worker process died by {Cause}; failed {Count} job(s) it was running; starting a new worker process",
                           cause, failed.Count);
            return true;
        }
        catch (Exception ex)
        {
            log.LogError(ex, "Failing the jobs of the crashed worker process failed; exiting so the host restarts the worker");
            return false;
        }
    }
}
