using Scrl.Cli.Commands;
using Spectre.Console.Cli;

namespace Scrl.Cli;

/// <summary>Every <c>scrl</c> command under its name, for the app and for tests that drive the app as users do.</summary>
public static class ScrlCommands
{
    public static void Register(IConfigurator config)
    {
        config.SetApplicationName("scrl");
        config.UseStrictParsing();   // a mistyped option is an error, not silently ignored
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
        config.AddCommand<LinearEvalCommand>("linear-eval")
            .WithDescription("Image-level linear evaluation of a frozen backbone (global-pooled C5) on labelled ImageFolders; writes into the run.");
        config.AddBranch("analyze", analyze =>
        {
            analyze.SetDescription("Analyses across runs.");
            analyze.AddCommand<AnalyzeCorrelationCommand>("correlation")
                .WithDescription("Pearson's r, bootstrap interval and regression band of protocol top-1 (RoI, image linear) against fine-tuning AP (Figure A1).");
        });
        config.AddBranch("boxes", boxes =>
        {
            boxes.SetDescription("Spatially consistent box pairs.");
            boxes.AddCommand<BoxesShowCommand>("show")
                .WithDescription("Draw an image's two augmented views side by side with each matched box pair in its own colour, as pretraining draws them.");
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
            data.AddCommand<CropDataCommand>("crops").WithDescription("Crop every box of a COCO dataset into labelled train/ and val/ ImageFolders (for linear-eval).");
        });
    }
}
