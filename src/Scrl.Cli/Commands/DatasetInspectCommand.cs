using System.ComponentModel;
using System.Globalization;
using Scrl.Cli.Datasets;
using Scrl.Core.Data.Datasets;
using Scrl.Core.Data.Shards;
using Scrl.Pipeline.Artifacts;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Scrl.Cli.Commands;

/// <summary>
/// <c>scrl dataset inspect</c>: counts per category, box sizes (COCO buckets and a text histogram) and every validation
/// problem, for a shard set (its index.json, its folder or its blob URL) or a source dataset folder.
/// </summary>
public sealed class DatasetInspectCommand(IAnsiConsole console) : AsyncCommand<DatasetInspectCommand.Settings>
{
    private const int BarWidth = 40;

    public sealed class Settings : StorageSettings
    {
        [CommandArgument(0, "<PATH>")]
        [Description("A shard set's index.json, a folder holding one (or the --out folder of scrl shard), a blob URL of a shard folder, or a dataset root (with --format).")]
        public string Path { get; init; } = "";

        [CommandOption("-f|--format <FORMAT>")]
        [Description("Layout of a dataset root: coco, voc, imagefolder or cityscapes. Not used for shard sets.")]
        [DefaultValue(DatasetFormat.Coco)]
        public DatasetFormat Format { get; init; } = DatasetFormat.Coco;

        [CommandOption("--split <SPLIT>")]
        [DefaultValue("train")]
        public string Split { get; init; } = "train";

        [CommandOption("--no-decode")]
        [Description("Skip decoding images (annotation checks only).")]
        public bool NoDecode { get; init; }

        [CommandOption("--max-problems <N>")]
        [Description("Problems to list one by one; all are counted.")]
        [DefaultValue(20)]
        public int MaxProblems { get; init; } = 20;
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (dataset, report, index) = await LoadAsync(settings, cancellationToken);
        var stats = DatasetStatistics.Of(dataset);

        console.MarkupLineInterpolated($"[bold]{dataset.Description}[/]");
        console.MarkupLineInterpolated($"{stats.Images} images ({stats.UnannotatedImages} without annotations), {stats.Instances} instances ({stats.CrowdInstances} crowd), {stats.Categories.Count} categories");
        if (index is not null)
            console.MarkupLineInterpolated($"{index.Shards.Count} shards, {ByteSize.Format(index.TotalBytes)}, dataset hash {index.DatasetHash} (every shard's sha256 verified)");

        var categories = new Table().Title("categories").AddColumns("id", "name", "images", "instances");
        foreach (var c in stats.Categories)
            categories.AddRow(Cell(c.Id), Markup.Escape(c.Name), Cell(c.Images), Cell(c.Instances));
        console.Write(categories);

        var sizes = new Table().Title("box sizes (non-crowd, box area)").AddColumns("COCO range", "boxes", "share");
        int boxes = Math.Max(1, stats.CocoSizes.Sum(b => b.Count));
        foreach (var bin in stats.CocoSizes) sizes.AddRow(Markup.Escape(bin.Label), Cell(bin.Count), $"{100.0 * bin.Count / boxes:F1}%");
        console.Write(sizes);

        console.WriteLine("box side sqrt(w*h), px:");
        int peak = Math.Max(1, stats.SideHistogram.Max(b => b.Count));
        foreach (var bin in stats.SideHistogram)
            console.WriteLine($"  {bin.Label,12} {bin.Count,8} {new string('#', (int)Math.Ceiling((double)BarWidth * bin.Count / peak))}");

        if (report.IsValid)
        {
            console.MarkupLine("[green]no problems found[/]" + (settings.NoDecode ? " (images not decoded)" : ""));
            return 0;
        }
        console.MarkupLineInterpolated($"[yellow]{report.Problems.Count} problems[/] in {report.BadImageIds.Count} images: {string.Join(", ", report.Counts.Select(c => $"{c.Key} {c.Value}"))}");
        foreach (var problem in report.Problems.Take(settings.MaxProblems)) console.WriteLine("  " + problem);
        if (report.Problems.Count > settings.MaxProblems) console.WriteLine($"  ... and {report.Problems.Count - settings.MaxProblems} more (--max-problems)");
        return 0;
    }

    private async Task<(ImageDataset Dataset, DatasetValidationReport Report, ShardIndex? Index)> LoadAsync(Settings settings, CancellationToken ct)
    {
        var validation = new DatasetValidationOptions { DecodeImages = !settings.NoDecode };
        if (await OpenShardsAsync(settings, ct) is not { } shards)
        {
            var dataset = DatasetReaders.Read(settings.Format, settings.Path, settings.Split);
            var report = console.Status().Start($"validating {dataset.Records.Count} images", _ => DatasetValidator.Validate(dataset, validation, ct));
            return (dataset, report, null);
        }
        var index = await ShardIndex.ReadAsync(shards, ct);
        ShardSetContents contents = null!;
        await console.Progress().StartAsync(async ctx =>
        {
            var task = ctx.AddTask("reading shards", maxValue: index.SampleCount);
            contents = await ShardSetReader.ReadAsync(index, shards, !settings.NoDecode, new SyncProgress<int>(n => task.Value = n), ct);
        });
        return (contents.Dataset, DatasetValidator.ValidateAnnotations(contents.Dataset, validation, contents.ImageProblems), index);
    }

    /// <summary>The shard set <see cref="Settings.Path"/> names, or null when it names a dataset root.</summary>
    private static async Task<IShardSource?> OpenShardsAsync(Settings settings, CancellationToken ct)
    {
        var location = StorageLocation.Parse(settings.Path);
        if (location.IsBlob)
        {
            var store = await location.OpenStoreAsync(settings.ConnectionString, ct);
            return new ArtifactShardFolder(store, location.StoreDisplay, location.Prefix);
        }
        string path = location.LocalFolder!;
        if (File.Exists(path) && System.IO.Path.GetFileName(path) == ShardFormat.IndexName) return new ShardFolder(System.IO.Path.GetDirectoryName(path)!);
        if (File.Exists(System.IO.Path.Combine(path, ShardFormat.IndexName))) return new ShardFolder(path);
        return StoredShardSets(path) switch
        {
            [] => null,
            [var only] => new ShardFolder(only),
            var several => throw new ArgumentException(
                $"'{path}' holds {several.Count} shard sets; inspect one of them:\n" + string.Join("\n", several)),
        };
    }

    // The folder that `scrl shard --out` wrote: each shard set is datasets/{hash}/shards/ in it.
    private static List<string> StoredShardSets(string root)
    {
        string datasets = System.IO.Path.Combine(root, "datasets");
        if (!Directory.Exists(datasets)) return [];
        return [.. Directory.GetDirectories(datasets)
                    .Select(System.IO.Path.GetFileName)
                    .Where(name => ArtifactName.IsContentHash(name!))
                    .Select(hash => System.IO.Path.Combine(root, ShardPublisher.ShardsPrefix("", hash!)))
                    .Where(folder => File.Exists(System.IO.Path.Combine(folder, ShardFormat.IndexName)))
                    .Order(StringComparer.Ordinal)];
    }

    private static string Cell(int value) => value.ToString(CultureInfo.InvariantCulture);
}
