using Scrl.Cli.Commands;
using Spectre.Console.Cli;

// CPU allocator (README, "Speed and memory"): by default the trainer returns malloc's free pages to the OS after
// each step. SCRL_CPU_ALLOCATOR=mmap maps every tensor of 1 MiB or more on its own (least memory, slower);
// SCRL_CPU_ALLOCATOR=glibc leaves glibc's heaps alone (no trim; resident memory varies from run to run).
switch (Environment.GetEnvironmentVariable("SCRL_CPU_ALLOCATOR"))
{
    case "mmap":
        Scrl.Core.Runtime.AllocatorTuning.UseMmapForLargeAllocations();
        break;
    case "glibc":
        AppContext.SetSwitch(Scrl.Core.Runtime.AllocatorTuning.ReleaseAfterStepSwitch, false);
        break;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C stops at the next step boundary (a checkpoint is written); a second one kills the process.
    if (cancel.IsCancellationRequested) return;
    e.Cancel = true;
    cancel.Cancel();
};

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("scrl");
    config.AddCommand<PretrainCommand>("pretrain")
        .WithDescription("Pretrain a backbone with SCRL or BYOL (default: the demo preset on generated data, CPU).");
    config.AddCommand<ExportCommand>("export")
        .WithDescription("Export a checkpoint's backbone as a torchvision .pth and a detectron2 .pkl.");
    config.AddCommand<EmulateCommand>("emulate")
        .WithDescription("Run the cloud pipeline locally: Azurite, durable orchestrators, the HTTP API and worker processes.");
    config.AddCommand<WorkerCommand>("worker")
        .WithDescription("Run stage jobs from a queue (memory, Azure Storage queue or Service Bus) until stopped.");
    config.AddCommand<FinetuneCommand>("finetune")
        .WithDescription("Fine-tune Faster R-CNN R50-FPN on COCO or VOC from a pretrained backbone.");
    config.AddCommand<EvaluateCommand>("evaluate")
        .WithDescription("Score a COCO results json against instances json (pycocotools-exact bbox AP).");
    config.AddBranch<RoiEvalSettings>("roi-eval", roiEval =>
    {
        roiEval.SetDescription("RoI linear evaluation of a frozen backbone on a labelled COCO-format split (SCRL appendix B).");
        roiEval.SetDefaultCommand<RoiEvalCommand>();
        roiEval.AddCommand<RoiEvalCompareCommand>("compare").WithDescription("Evaluate several backbones on the same RoIs; one ranked table.");
    });
    config.AddCommand<DoctorCommand>("doctor")
        .WithDescription("Report the torch backend, threads and CUDA availability.");
    config.AddBranch("bench", bench =>
    {
        bench.SetDescription("Benchmarks: throughput, peak memory, time breakdown.");
        bench.AddCommand<BenchPretrainCommand>("pretrain").WithDescription("Time SCRL training steps on synthetic tensors and on real JPEGs.");
        bench.AddCommand<BenchFinetuneCommand>("finetune").WithDescription("Time Faster R-CNN R50-FPN training steps and inference passes, with the NMS and RoIAlign share.");
        bench.AddCommand<BenchRoiEvalCommand>("roi-eval").WithDescription("RoIs/s of RoI-eval feature extraction and head training.");
        bench.AddCommand<BenchDataCommand>("data").WithDescription("Shard write vs tar, and decode + augment rate from shards and JPEGs vs the training step rate.");
    });
    config.AddCommand<ShardCommand>("shard")
        .WithDescription("Validate a COCO/VOC/ImageFolder/Cityscapes dataset and write it as tar shards to a folder or blob container.");
    config.AddBranch("dataset", dataset =>
    {
        dataset.SetDescription("Inspect datasets and shard sets.");
        dataset.AddCommand<DatasetInspectCommand>("inspect").WithDescription("Counts per category, box-size histogram and validation problems.");
    });
    config.AddBranch("data", data =>
    {
        data.SetDescription("Datasets.");
        data.AddCommand<GenerateDataCommand>("generate").WithDescription("Write the synthetic shapes dataset (COCO json + JPEGs).");
    });
    config.SetExceptionHandler((e, _) =>
    {
        // Errors users can act on get one clear message and exit code 2; anything else is a bug and shows its stack.
        switch (e)
        {
            case Scrl.Core.Configuration.ConfigException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException
                 or Scrl.Core.Interop.CheckpointMismatchException or ArgumentException
                 or Azure.RequestFailedException or Azure.Identity.AuthenticationFailedException:
                Spectre.Console.AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
                return 2;
            case Scrl.Core.Training.RunFolderConflictException conflict:
                Spectre.Console.AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {conflict.Message} (-o <another folder>)");
                return 2;
            default:
                Spectre.Console.AnsiConsole.WriteException(e);
                return 1;
        }
    });
});
return await app.RunAsync(args, cancel.Token);
