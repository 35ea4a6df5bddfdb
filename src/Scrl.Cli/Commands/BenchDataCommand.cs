using System.ComponentModel;
using System.Diagnostics;
using Scrl.Core.Configuration;
using Scrl.Core.Data.Coco;
using Scrl.Core.Data.Datasets;
using Scrl.Core.Data.Loading;
using Scrl.Core.Data.Shards;
using Scrl.Core.Data.Synthetic;
using Scrl.Core.Training;
using Spectre.Console;
using Spectre.Console.Cli;
using static TorchSharp.torch;

namespace Scrl.Cli.Commands;

/// <summary>
/// <c>scrl bench data</c>: is the data plane fast enough? Shard write MB/s against <c>tar -cf</c> on the same files, and
/// read + decode + two-view augment images/s from shards and from the JPEG folder, against the R18 96-px SCRL step rate.
/// </summary>
public sealed class BenchDataCommand(IAnsiConsole console) : AsyncCommand<BenchDataCommand.Settings>
{
    private const int Batch = 32;
    private const int Size = 96;
    private const long SmallSetBytes = 256L << 20;

    public sealed class Settings : CommandSettings
    {
        [CommandOption("--images <N>")]
        [Description("Synthetic images (sides 375-500 px) to generate once under data/generated/.")]
        [DefaultValue(500)]
        public int Images { get; init; } = 500;

        [CommandOption("-s|--source <DIR>")]
        [Description("Bench on this dataset root instead of generated images (e.g. a COCO root, to time shard writing at a realistic size).")]
        public string? Source { get; init; }

        [CommandOption("-f|--format <FORMAT>")]
        [Description("Format of --source: coco, voc, imagefolder or cityscapes.")]
        [DefaultValue(DatasetFormat.Coco)]
        public DatasetFormat Format { get; init; } = DatasetFormat.Coco;

        [CommandOption("--split <SPLIT>")]
        [Description("Split of --source.")]
        [DefaultValue("train")]
        public string Split { get; init; } = "train";

        [CommandOption("--rounds <N>")]
        [Description("Alternating shard/tar rounds; medians are reported.")]
        [DefaultValue(5)]
        public int Rounds { get; init; } = 5;

        [CommandOption("--workers <N>")]
        [Description("Loader decode + augment threads.")]
        [DefaultValue(2)]
        public int Workers { get; init; } = 2;

        [CommandOption("--steps <N>")]
        [Description("Timed training steps (after one warm-up).")]
        [DefaultValue(3)]
        public int Steps { get; init; } = 3;

        [CommandOption("--write-only")]
        [Description("Time shard writing against tar only; skip the loader and training measurements.")]
        public bool WriteOnly { get; init; }

        public override ValidationResult Validate() =>
            Images >= Batch && Rounds >= 1 && Workers >= 1 && Steps >= 1
                ? ValidationResult.Success()
                : ValidationResult.Error($"--images must be >= {Batch}; --rounds, --workers and --steps >= 1");
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var dataset = settings.Source is { } source
            ? DatasetReaders.Read(settings.Format, source, settings.Split)
            : Generated(settings.Images, cancellationToken);
        string work = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"scrl-bench-data-{Environment.ProcessId}")).FullName;
        try
        {
            console.MarkupLineInterpolated($"{dataset.Description}, {dataset.Records.Count} images; {Environment.ProcessorCount} cores visible, torch threads {get_num_threads()}. Shared machines give noisy numbers.");
            var write = await BenchWriteAsync(dataset, work, settings.Rounds, cancellationToken);
            var table = new Table().AddColumns("measure", "value", "target");
            table.AddRow("shard write through the page cache (scrl shard --no-sync)", $"{write.Cached.Mbps:F0} MB/s, {write.Cached.CpuSeconds:F2} CPU s ({ByteSize.Format(write.Bytes)})", "");
            table.AddRow("shard write, each shard on disk before its rename (default)", $"{write.Synced.Mbps:F0} MB/s, {write.Synced.CpuSeconds:F2} CPU s", "");
            table.AddRow("ShardWriter into a discarding sink (publish's hash pass)", $"{write.Hash.Mbps:F0} MB/s, {write.Hash.CpuSeconds:F2} CPU s", "");
            table.AddRow("tar -cf on the same images", $"{write.Tar:F0} MB/s", "");
            table.AddRow("tar -cf, then fsync of the archive", $"{write.TarSynced:F0} MB/s", "");
            table.AddRow("shard write / tar, both through the page cache", Verdict(write.Cached.Mbps / write.Tar, 0.8), ">= 0.8x");
            table.AddRow("shard write / tar, both on disk", Verdict(write.Synced.Mbps / write.TarSynced, 0.8), ">= 0.8x");
            if (settings.WriteOnly)
            {
                Write(table, write.Bytes);
                return 0;
            }

            var config = ConfigLoader.Load("scrl_200ep", ["network.backbone=ResNet18", $"augment.inputSize={Size}", $"boxes.inputSize={Size}", $"run.batchSize={Batch}"]);
            var shards = new ShardFolder(Path.Combine(work, "shards"));
            var shardSource = new ShardSampleSource(await ShardIndex.ReadAsync(shards, cancellationToken), shards, new ShardStreamOptions());
            var fileSource = new ImageListSampleSource(Core.Data.UnlabeledImageSource.FromDataset(dataset));
            double fromShards = await BenchLoadAsync(shardSource, config, settings.Workers, cancellationToken);
            double fromFiles = await BenchLoadAsync(fileSource, config, settings.Workers, cancellationToken);

            var timer = BenchPretrainCommand.BenchSynthetic(config, CPU, new BenchPretrainCommand.Settings { Steps = settings.Steps, Warmup = 1 });
            double trainRate = Batch / timer.Medians()["step"];

            table.AddRow($"read + decode + two-view augment, shards, {settings.Workers} workers", $"{fromShards:F1} images/s", "");
            table.AddRow($"read + decode + two-view augment, JPEG folder, {settings.Workers} workers", $"{fromFiles:F1} images/s", "");
            table.AddRow($"R18 {Size}px SCRL training (fixed batch {Batch}, CPU)", $"{trainRate:F1} images/s", "");
            table.AddRow("shards / training", Verdict(fromShards / trainRate, 2), ">= 2x");
            table.AddRow("JPEG folder / training", Verdict(fromFiles / trainRate, 2), ">= 2x");
            Write(table, write.Bytes);
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private void Write(Table table, long shardBytes)
    {
        table.AddRow("peak RSS of this process", $"{PeakMemory.ResidentMegabytes():F0} MiB", "");
        console.Write(table);
        if (shardBytes < SmallSetBytes)
            console.MarkupLine($"[yellow]{ByteSize.Format(shardBytes)} is too little to compare write throughput with tar: fixed costs (tar's start, " +
                               "fsync) dominate. Pass --source <dataset root> of a few hundred MB.[/]");
        else if (DirtyPageAllowance.Read() is { } allowance && shardBytes < allowance)
            console.MarkupLine($"[yellow]tar's archive fits in the {ByteSize.Format(allowance)} of unwritten data the kernel lets a writer leave in memory " +
                               "before it holds the writer to the disk's pace: the page-cache rows are memory speed, the on-disk rows the disk's. Larger sets compare disk with disk.[/]");
    }

    private static ImageDataset Generated(int images, CancellationToken ct)
    {
        var options = new SyntheticDatasetOptions { TrainImages = images, ValImages = 0, MinSide = 375, MaxSide = 500, Seed = 1 };
        string root = DemoData.EnsureGenerated(ct, Path.Combine("data", "generated", $"bench-shapes-v{SyntheticShapesDataset.GeneratorVersion}-{images}"), options);
        return CocoDatasetReader.Read(CocoLayout.AnnotationFile(root, CocoLayout.Train), CocoLayout.ImageFolder(root, CocoLayout.Train));
    }

    /// <summary>
    /// Alternates ShardWriter and <c>tar -cf</c> over the same images, after one warm-up read; returns the medians of each.
    /// ShardWriter writes each round twice: through the page cache, as tar does, and with every shard on disk before its
    /// rename (the default of <c>scrl shard</c>), which is compared with tar followed by an fsync of its archive.
    /// </summary>
    private static async Task<WriteBench> BenchWriteAsync(ImageDataset dataset, string work, int rounds, CancellationToken ct)
    {
        foreach (var record in dataset.Records) await File.ReadAllBytesAsync(record.ImagePath, ct);   // both start from a warm page cache
        string list = Path.Combine(work, "files.txt");
        await File.WriteAllLinesAsync(list, dataset.Records.Select(r => r.ImagePath), ct);
        var options = new ShardWriterOptions { TargetShardBytes = 64L << 20 };
        var cached = new List<Pass>();
        var synced = new List<Pass>();
        var hash = new List<Pass>();
        var tar = new List<double>();
        var tarSynced = new List<double>();
        long bytes = 0;
        for (int round = 0; round < rounds; round++)
        {
            string folder = Path.Combine(work, "shards");
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            cached.Add(await Pass.TimeAsync(async () => bytes = (await ShardWriter.WriteAsync(dataset, new ShardFolder(folder, syncToDisk: false), options, null, ct)).TotalBytes));
            Directory.Delete(folder, recursive: true);
            synced.Add(await Pass.TimeAsync(async () => (await ShardWriter.WriteAsync(dataset, new ShardFolder(folder), options, null, ct)).TotalBytes));
            hash.Add(await Pass.TimeAsync(async () => (await ShardWriter.WriteAsync(dataset, new DiscardingShardSink(), options, null, ct)).TotalBytes));

            string archive = Path.Combine(work, "images.tar");
            var clock = Stopwatch.StartNew();
            using (var process = Process.Start(new ProcessStartInfo("tar", ["-cf", archive, "-P", "-T", list]) { RedirectStandardError = true })!)
            {
                string error = await process.StandardError.ReadToEndAsync(ct);
                await process.WaitForExitAsync(ct);
                if (process.ExitCode != 0) throw new InvalidOperationException($"tar exited with {process.ExitCode}: {error}");
            }
            long archiveBytes = new FileInfo(archive).Length;
            tar.Add(archiveBytes / 1e6 / clock.Elapsed.TotalSeconds);
            using (var file = new FileStream(archive, FileMode.Open, FileAccess.ReadWrite)) file.Flush(flushToDisk: true);
            tarSynced.Add(archiveBytes / 1e6 / clock.Elapsed.TotalSeconds);
            File.Delete(archive);
        }
        return new WriteBench(Pass.Median(cached), Pass.Median(synced), Pass.Median(hash), Median(tar), Median(tarSynced), bytes);
    }

    private sealed record WriteBench(Pass Cached, Pass Synced, Pass Hash, double Tar, double TarSynced, long Bytes);

    /// <summary>One timed write: its throughput, and the CPU time the whole process spent meanwhile (all threads).</summary>
    private sealed record Pass(double Mbps, double CpuSeconds)
    {
        /// <summary>Times <paramref name="write"/>, which returns the bytes it wrote.</summary>
        public static async Task<Pass> TimeAsync(Func<Task<long>> write)
        {
            var cpu = CpuTime();
            var clock = Stopwatch.StartNew();
            long bytes = await write();
            double seconds = clock.Elapsed.TotalSeconds;
            return new Pass(bytes / 1e6 / seconds, (CpuTime() - cpu).TotalSeconds);
        }

        public static Pass Median(List<Pass> passes) =>
            new(BenchDataCommand.Median([.. passes.Select(p => p.Mbps)]), BenchDataCommand.Median([.. passes.Select(p => p.CpuSeconds)]));

        private static TimeSpan CpuTime()
        {
            using var self = Process.GetCurrentProcess();
            return self.TotalProcessorTime;
        }
    }

    /// <summary>One epoch through the loader with the training transform (decode, two views, boxes); images/s.</summary>
    private static async Task<double> BenchLoadAsync(IPretrainSampleSource source, PretrainConfig config, int workers, CancellationToken ct)
    {
        var loader = PretrainDataLoader.Create(source, new PretrainDataLoaderOptions { BatchSize = Batch, Seed = 0, DecodeWorkers = workers, PrefetchBatches = 2 * workers },
                                               new TwoViewBatchBuilder(config.Augment, config.Boxes, config.Run.Seed).Build);
        int images = 0;
        var clock = Stopwatch.StartNew();
        await foreach (var batch in loader.ReadAsync(LoaderPosition.Start, endEpoch: 1, ct))
        {
            using (batch) images += Batch;
        }
        return images / clock.Elapsed.TotalSeconds;
    }

    private static string Verdict(double ratio, double target) => ratio >= target ? $"[green]{ratio:F2}x[/]" : $"[red]{ratio:F2}x[/]";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
