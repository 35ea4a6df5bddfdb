using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Scrl.Cli.Datasets;
using Scrl.Core.Data.Datasets;
using Scrl.Core.Data.Shards;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Scrl.Cli.Commands;

/// <summary>
/// <c>scrl shard</c>: reads a COCO/VOC/ImageFolder/Cityscapes dataset, validates it, and publishes it as tar shards under
/// <c>{out}/datasets/{datasetHash}/shards/</c> in a local folder or a blob container, reusing an identical set. Images are
/// checked while they are copied into the shards (<see cref="ShardPublisher.ValidateAndPublishAsync"/>).
/// </summary>
public sealed class ShardCommand(IAnsiConsole console) : AsyncCommand<ShardCommand.Settings>
{
    public sealed class Settings : StorageSettings
    {
        [CommandOption("-s|--source <SOURCE>")]
        [Description("Dataset root: a local folder or a blob URL (https://<account>.blob.core.windows.net/<container>/<prefix>), downloaded to --cache first.")]
        public string Source { get; init; } = "";

        [CommandOption("-f|--format <FORMAT>")]
        [Description("coco, voc, imagefolder or cityscapes.")]
        [DefaultValue(DatasetFormat.Coco)]
        public DatasetFormat Format { get; init; } = DatasetFormat.Coco;

        [CommandOption("--split <SPLIT>")]
        [Description("Split to shard (COCO train|val, VOC trainval|test|..., Cityscapes train|val); ImageFolder ignores it.")]
        [DefaultValue("train")]
        public string Split { get; init; } = "train";

        [CommandOption("-o|--out <DEST>")]
        [Description("Store root: a local folder or a blob URL. Shards land under datasets/<datasetHash>/shards/ there.")]
        public string Out { get; init; } = "";

        [CommandOption("--shard-size <SIZE>")]
        [Description("Largest shard file (binary units: 256MB = 256 MiB).")]
        [DefaultValue("256MB")]
        public string ShardSize { get; init; } = "256MB";

        [CommandOption("--skip-bad")]
        [Description("Drop records with problems (listed in --report) instead of failing.")]
        public bool SkipBad { get; init; }

        [CommandOption("--report <FILE>")]
        [Description("Where --skip-bad writes the validation report (json).")]
        [DefaultValue("shard-problems.json")]
        public string Report { get; init; } = "shard-problems.json";

        [CommandOption("--no-decode")]
        [Description("Validate annotations and file existence only; do not check that every image decodes (misses corrupt images).")]
        public bool NoDecode { get; init; }

        [CommandOption("--no-sync")]
        [Description("Local --out: write shards through the page cache, as tar does, instead of onto the disk before each takes its name. " +
                     "Faster on slow disks; after a power loss a shard may not match its index ('scrl dataset inspect' checks; shard again).")]
        public bool NoSync { get; init; }

        [CommandOption("--cache <DIR>")]
        [Description("Local copy of a blob --source. Default: a folder under the temp directory named by the URL.")]
        public string? Cache { get; init; }

        public override ValidationResult Validate()
        {
            var problems = new List<string>();
            if (string.IsNullOrWhiteSpace(Source)) problems.Add("--source is required");
            if (string.IsNullOrWhiteSpace(Out)) problems.Add("--out is required");
            if (string.IsNullOrWhiteSpace(Split)) problems.Add("--split must not be empty");
            if (ByteSize.TryParse(ShardSize) is null) problems.Add($"--shard-size '{ShardSize}' is not a size such as 256MB");
            return problems.Count == 0 ? ValidationResult.Success() : ValidationResult.Error(string.Join("; ", problems));
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var writerOptions = new ShardWriterOptions { TargetShardBytes = ByteSize.TryParse(settings.ShardSize)!.Value, SyncToDisk = !settings.NoSync };
        var optionErrors = writerOptions.Validate("--shard-size");
        if (optionErrors.Count > 0) throw new ArgumentException(string.Join("; ", optionErrors));

        string root = await LocalSourceAsync(settings, cancellationToken);
        var dataset = DatasetReaders.Read(settings.Format, root, settings.Split);
        int read = dataset.Records.Count;
        var validation = new DatasetValidationOptions { DecodeImages = !settings.NoDecode, SkipBad = settings.SkipBad, ReportPath = Path.GetFullPath(settings.Report) };

        var outLocation = StorageLocation.Parse(settings.Out);
        var store = await outLocation.OpenStoreAsync(settings.ConnectionString, cancellationToken);
        var clock = Stopwatch.StartNew();
        PublishedShards published = null!;
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                // A local store is written in one pass; other stores are hashed first (see ShardPublisher), so bars appear per pass.
                var bars = new Dictionary<ShardPublishPhase, ProgressTask>();
                var progress = new SyncProgress<ShardPublishProgress>(p =>
                {
                    string pass = p.Phase == ShardPublishPhase.Hashing ? "hashing" : "writing";
                    if (!bars.TryGetValue(p.Phase, out var bar)) bars[p.Phase] = bar = ctx.AddTask($"{pass} shards");
                    bar.MaxValue = p.Write.SampleCount;
                    bar.Value = p.Write.SamplesWritten;
                    bar.Description = $"{pass} shards: {p.Write.ShardsWritten} done, {ByteSize.Format(p.Write.BytesWritten)}";
                });
                published = await ShardPublisher.ValidateAndPublishAsync(dataset, validation, store, outLocation.StoreDisplay, outLocation.Prefix, writerOptions,
                                                                         progress, cancellationToken);
                foreach (var bar in bars.Values) bar.Value = bar.MaxValue;
            });
        double seconds = clock.Elapsed.TotalSeconds;

        var index = published.Index;
        var table = new Table().AddColumns("", "").HideHeaders();
        table.AddRow("dataset", Markup.Escape(dataset.Description));
        table.AddRow("samples", $"{index.SampleCount} of {read} read" + (read > index.SampleCount ? $" ({read - index.SampleCount} bad, skipped: {Markup.Escape(validation.ReportPath)})" : ""));
        table.AddRow("categories", index.Categories.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("shards", $"{index.Shards.Count} (target {ByteSize.Format(index.TargetShardBytes)})");
        table.AddRow("bytes", ByteSize.Format(index.TotalBytes));
        table.AddRow("dataset hash", index.DatasetHash);
        table.AddRow("location", Markup.Escape(published.Folder.Describe(ShardFormat.IndexName)));
        table.AddRow("result", published.Reused ? "[green]reused[/] an identical shard set" : $"validated and written in {seconds:F1} s ({index.TotalBytes / 1e6 / seconds:F1} MB/s)");
        console.Write(table);
        if (outLocation.LocalFolder is not null)
        {
            console.WriteLine("pretrain on it with:");
            console.WriteCopyable($"scrl pretrain --set data.format=Shards --set data.source={Path.Combine(outLocation.LocalFolder, published.Prefix)}");
        }
        return 0;
    }

    /// <summary>The dataset root on this machine: the folder itself, or a local copy of a blob prefix.</summary>
    private async Task<string> LocalSourceAsync(Settings settings, CancellationToken ct)
    {
        var source = StorageLocation.Parse(settings.Source);
        if (source.LocalFolder is not null) return source.LocalFolder;
        string cache = settings.Cache ?? Path.Combine(Path.GetTempPath(), "scrl-sources",
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(settings.Source)))[..16]);
        var store = await source.OpenStoreAsync(settings.ConnectionString, ct);
        await console.Progress().StartAsync(async ctx =>
        {
            var task = ctx.AddTask($"downloading {Markup.Escape(settings.Source)}");
            await BlobSourceDownload.DownloadAsync(store, source.Prefix, cache, new SyncProgress<(int Done, int Total)>(p =>
            {
                task.MaxValue = p.Total;
                task.Value = p.Done;
            }), ct);
        });
        return cache;
    }
}
