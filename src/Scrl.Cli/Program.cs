using Scrl.Cli.Commands;
using Spectre.Console.Cli;

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
    config.AddCommand<DoctorCommand>("doctor")
        .WithDescription("Report the torch backend, threads and CUDA availability.");
    config.AddBranch("bench", bench =>
    {
        bench.SetDescription("Benchmarks (images/s, peak memory, time breakdown).");
        bench.AddCommand<BenchPretrainCommand>("pretrain").WithDescription("Time SCRL training steps.");
    });
    config.AddBranch("data", data =>
    {
        data.SetDescription("Datasets.");
        data.AddCommand<GenerateDataCommand>("generate").WithDescription("Write the synthetic shapes dataset (COCO json + JPEGs).");
    });
});
return await app.RunAsync(args, cancel.Token);
